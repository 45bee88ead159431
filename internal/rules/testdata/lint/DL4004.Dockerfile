FROM alpine:3.20
ENTRYPOINT ["/docker-entrypoint.sh"]
# want "DL4004"
ENTRYPOINT ["/app"]
USER nobody
