FROM --platform=$TARGETPLATFORM alpine:3.21 AS a
FROM --platform=${TARGETPLATFORM} alpine:3.21 AS b
FROM --platform=${TARGETPLATFORM:-linux/amd64} alpine:3.21 AS c
FROM --platform=$BUILDPLATFORM alpine:3.21 AS d
