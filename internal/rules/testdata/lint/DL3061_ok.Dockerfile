# syntax=docker/dockerfile:1
# A comment before the first FROM is fine, and so is ARG.
ARG BASE=alpine:3.20
FROM ${BASE}
LABEL org.opencontainers.image.title="late"
USER nobody
CMD ["true"]
