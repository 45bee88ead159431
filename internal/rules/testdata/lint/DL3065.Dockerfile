# want `DL3065: --platform=\$TARGETPLATFORM is the default and can be removed`
FROM --platform=$TARGETPLATFORM alpine:3.20 AS a
# want `DL3065: --platform=\$\{TARGETPLATFORM\} is the default and can be removed`
FROM --platform=${TARGETPLATFORM} alpine:3.20 AS b
USER nobody
CMD ["true"]
