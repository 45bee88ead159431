# want "DL3065"
FROM --platform=$TARGETPLATFORM alpine:3.20 AS a
# want "DL3065"
FROM --platform=${TARGETPLATFORM} alpine:3.20 AS b
USER nobody
CMD ["true"]
