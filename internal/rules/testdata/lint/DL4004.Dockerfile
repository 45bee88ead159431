FROM alpine:3.20
ENTRYPOINT ["/docker-entrypoint.sh"]
# want "DL4004: another ENTRYPOINT in this stage"
ENTRYPOINT ["/app"]
USER nobody
