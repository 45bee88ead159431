FROM --platform=linux/arm64 alpine:3.21 AS build
FROM --platform=linux/amd64 alpine:3.21 AS amd64-tools
