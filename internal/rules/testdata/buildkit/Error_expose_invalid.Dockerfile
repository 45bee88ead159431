FROM alpine:3.21
EXPOSE http
