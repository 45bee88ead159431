ARG TAG=3.21
FROM alpine:${TAGG:-3.21}
FROM alpine:$TAG AS ok
FROM --platform=$TARGETPLATFORM alpine:3.21 AS plat
