FROM alpine:3.21
WORKDIR app
