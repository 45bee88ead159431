FROM alpine:3.20 AS builder
RUN true

FROM alpine:3.20 AS build-env_2.x
COPY --from=builder /etc/hostname /hostname

FROM alpine:3.20
COPY --from=build-env_2.x /hostname /hostname
