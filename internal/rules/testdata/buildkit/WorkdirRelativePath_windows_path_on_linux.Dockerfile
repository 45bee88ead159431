FROM alpine:3.21
WORKDIR C:\\app
