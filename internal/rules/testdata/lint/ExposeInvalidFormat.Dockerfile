FROM alpine:3.20
# want "ExposeInvalidFormat: EXPOSE instruction should not define an IP address or host-port mapping"
EXPOSE 127.0.0.1:8080:80
# want "ExposeInvalidFormat: EXPOSE instruction should not define an IP address or host-port mapping"
EXPOSE 8080:80/tcp
