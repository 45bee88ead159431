# spec: DL3058 a valid address; another label
# enable: DL3058
# settings: label-schema=maintainer:email
FROM debian:bookworm-slim
LABEL maintainer="ops@example.com" other="doo"
USER nobody
CMD ["true"]
