FROM alpine:3.20
# want "ExposeProtoCasing"
EXPOSE 80/TCP 53/udp
ARG PORT=8080
# want "ExposeProtoCasing"
EXPOSE ${PORT}/Udp
