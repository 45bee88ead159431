FROM alpine:3.21
HEALTHCHECK CMD wget -q -O- http://localhost/ || exit 1
CMD ["serve"]
