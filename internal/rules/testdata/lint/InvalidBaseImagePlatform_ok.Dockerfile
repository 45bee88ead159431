# want "DL3029: FROM --platform=linux/arm64 pins the stage to one platform"
FROM --platform=linux/arm64 alpine:3.20 AS build_arm64
# want "DL3029: FROM --platform=linux/aarch64 pins the stage to one platform"
FROM --platform=linux/aarch64 build_arm64 AS again_arm64
# want "DL3029: FROM --platform=linux/arm64 pins the stage to one platform"
FROM --platform=linux/arm64 arm64v8/alpine:3.20 AS img_arm64
FROM --platform=$BUILDPLATFORM arm64v8/alpine:3.20 AS cross
FROM arm64v8/alpine:3.20
