FROM alpine:3.21
HEALTHCHECK PING localhost
