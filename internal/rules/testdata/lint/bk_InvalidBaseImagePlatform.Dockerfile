# want "DL3029"
FROM --platform=linux/arm64 alpine:3.20 AS build_arm64
# want "InvalidBaseImagePlatform" "DL3029"
FROM --platform=linux/amd64 build_arm64 AS final_amd64
# want "InvalidBaseImagePlatform" "DL3029"
FROM --platform=linux/amd64 arm64v8/alpine:3.20 AS amd64img
