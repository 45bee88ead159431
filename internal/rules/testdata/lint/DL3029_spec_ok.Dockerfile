# spec: DL3029 no flag, or $BUILDPLATFORM / "$BUILDPLATFORM" / ${BUILDPLATFORM} / ${BUILDPLATFORM:-} / "${BUILDPLATFORM:-}" / $TARGETPLATFORM
FROM debian:jessie AS a
FROM --platform=$BUILDPLATFORM debian:jessie AS b
FROM --platform="$BUILDPLATFORM" debian:jessie AS c
FROM --platform=${BUILDPLATFORM} debian:jessie AS d
FROM --platform=${BUILDPLATFORM:-} debian:jessie AS e
FROM --platform="${BUILDPLATFORM:-}" debian:jessie AS f
# want "DL3065"
FROM --platform=$TARGETPLATFORM debian:jessie AS g
FROM debian:bookworm-slim
USER nobody
CMD ["true"]
