FROM alpine:3.20
EXPOSE 80/tcp 443 53/udp 9000-9010/sctp
# The value of PORT comes from the base image: unknown.
EXPOSE $PORT/TCP
