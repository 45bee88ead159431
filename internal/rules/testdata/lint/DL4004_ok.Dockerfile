FROM alpine:3.20 AS base
ENTRYPOINT ["/docker-entrypoint.sh"]

FROM base
ENTRYPOINT ["/docker-entrypoint.sh", "/app"]
USER nobody
