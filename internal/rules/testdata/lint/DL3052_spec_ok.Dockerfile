# spec: DL3052 a URL; another label
# enable: DL3052
# settings: label-schema=urllabel:url
FROM debian:bookworm-slim
LABEL urllabel="http://example.com" other="foo"
USER nobody
CMD ["true"]
