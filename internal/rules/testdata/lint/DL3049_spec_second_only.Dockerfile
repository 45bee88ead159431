# spec: DL3049 two unrelated stages (unnamed first), label in the second only: the first is reported
# enable: DL3049
# settings: label-schema=foo:text
# want "DL3049"
FROM debian:bookworm-slim
LABEL baz="bar"
FROM alpine:3.20
LABEL foo="bar"
USER nobody
CMD ["true"]
