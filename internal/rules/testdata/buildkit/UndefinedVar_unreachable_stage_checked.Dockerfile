FROM alpine:3.21 AS unused
ENV A=$IN_UNUSED_STAGE

FROM alpine:3.21
RUN true
