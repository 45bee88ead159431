# The stage name says which platform it is for.
# want "DL3029: FROM --platform=linux/arm64 pins the stage to one platform"
FROM --platform=linux/arm64 alpine:3.20 AS build_arm64
# want "DL3029: FROM --platform=linux/amd64 pins the stage to one platform"
FROM --platform=linux/amd64 alpine:3.20 AS build_amd64
ARG TARGETARCH
FROM build_${TARGETARCH} AS build
FROM --platform=$BUILDPLATFORM alpine:3.20
COPY --from=build /etc/hostname /a
