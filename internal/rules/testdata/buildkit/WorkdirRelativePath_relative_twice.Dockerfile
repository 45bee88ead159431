FROM alpine:3.21
WORKDIR build
WORKDIR out
