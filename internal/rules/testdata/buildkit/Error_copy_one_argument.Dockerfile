FROM alpine:3.21
COPY only-source
