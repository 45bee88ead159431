# spec: DL3058 email label that is not an e-mail address
# enable: DL3058
# settings: label-schema=maintainer:email
FROM debian:bookworm-slim
# want "DL3058"
LABEL maintainer="not-email"
USER nobody
CMD ["true"]
