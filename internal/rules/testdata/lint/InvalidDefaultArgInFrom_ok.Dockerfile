ARG VARIANT
ARG TAG
ARG BASE=alpine:3.20
FROM busybox:1.37${VARIANT} AS one
FROM alpine:${TAG:-3.20} AS two
FROM ${BASE}
COPY --from=one /etc/hostname /a
COPY --from=two /etc/hostname /b
