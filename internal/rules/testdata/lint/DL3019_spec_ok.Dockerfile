# spec: DL3019 --no-cache, or a cache mount on /var/cache/apk
FROM alpine:3.20
RUN apk add --no-cache flex=2.6.4-r1
WORKDIR /
RUN --mount=type=cache,target=/var/cache/apk apk add -U jq=1.7
WORKDIR /
RUN --mount=type=cache,target=/var/cache/foo apk add --no-cache -U jq=1.7
ONBUILD RUN apk add --no-cache flex=2.6.4-r1
USER nobody
CMD ["true"]
