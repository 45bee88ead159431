ARG VARIANT
ARG TAG=3.20
FROM --platform=$BUILDPLATFORM alpine:${TAG}${VARIANT} AS build
FROM alpine:${TAG:-3.20}
COPY --from=build /etc/hostname /a
