ARG PKG_VERSION=0.9.1
FROM alpine:3.21
COPY dist/pkg-$PKG_VERSION.tar.gz /opt/
