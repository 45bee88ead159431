FROM --platform=$BUILDPLATFORM golang:1.23 AS build
FROM --platform=${BUILDPLATFORM} golang:1.23 AS build2
FROM --platform="$BUILDPLATFORM" golang:1.23 AS build3
FROM --platform=$TARGETOS/$TARGETARCH alpine:3.20 AS target
FROM alpine:3.20
USER nobody
CMD ["true"]
