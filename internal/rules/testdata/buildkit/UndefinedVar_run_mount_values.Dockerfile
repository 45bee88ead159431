FROM alpine:3.21
RUN --mount=type=cache,target=/var/cache/apk,id=$APK_CACHE_ID apk add curl
RUN --mount=type=secret,id=npmrc,target=$NPMRC_PATH true
RUN --network=none true
