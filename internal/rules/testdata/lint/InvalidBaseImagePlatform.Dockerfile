# want "DL3029: FROM --platform=linux/arm64 pins the stage to one platform"
FROM --platform=linux/arm64 alpine:3.20 AS build_arm64
# want "InvalidBaseImagePlatform: FROM --platform=linux/amd64 has no effect" "DL3029: FROM --platform=linux/amd64 pins the stage to one platform"
FROM --platform=linux/amd64 build_arm64 AS final_amd64
# want `InvalidBaseImagePlatform: Base image arm64v8/alpine:3\.20 was pulled with platform "linux/arm64/v8"` "DL3029: FROM --platform=linux/amd64 pins the stage to one platform"
FROM --platform=linux/amd64 arm64v8/alpine:3.20 AS amd64img
