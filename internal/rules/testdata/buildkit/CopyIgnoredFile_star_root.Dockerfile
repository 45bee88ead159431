FROM alpine:3.21
COPY . /src
COPY / /root-src
