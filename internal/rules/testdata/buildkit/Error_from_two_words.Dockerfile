FROM alpine:3.21 build
