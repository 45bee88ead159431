FROM alpine:3.21
RUN <<EOT
echo never closed
