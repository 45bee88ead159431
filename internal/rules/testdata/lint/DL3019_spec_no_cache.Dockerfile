# spec: DL3019 apk add without --no-cache, and with a cache mount on some other directory
FROM alpine:3.20
# want "DL3019"
RUN apk add flex=2.6.4-r1
WORKDIR /
# want "DL3019"
RUN --mount=type=cache,target=/var/cache/foo apk add -U jq=1.7
# want "DL3019"
ONBUILD RUN apk add flex=2.6.4-r1
USER nobody
CMD ["true"]
