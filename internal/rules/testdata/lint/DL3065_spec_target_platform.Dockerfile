# spec: DL3065 FROM --platform=$TARGETPLATFORM or ${TARGETPLATFORM}
# want "DL3065"
FROM --platform=$TARGETPLATFORM alpine:3.20 AS a
# want "DL3065"
FROM --platform=${TARGETPLATFORM} alpine:3.20
USER nobody
CMD ["true"]
