# spec: DL3052 url label that is not a URL
# enable: DL3052
# settings: label-schema=urllabel:url
FROM debian:bookworm-slim
# want "DL3052"
LABEL urllabel="not-url"
USER nobody
CMD ["true"]
