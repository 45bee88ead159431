# spec: DL3049 a named stage nothing uses, label only in the last stage: the named stage is reported
# enable: DL3049
# settings: label-schema=foo:text
# want "DL3049"
FROM debian:bookworm-slim AS base
FROM alpine:3.20
LABEL foo="bar"
USER nobody
CMD ["true"]
