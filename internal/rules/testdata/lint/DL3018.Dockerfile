FROM alpine:3.20
# want "DL3018: Pin versions in apk add"
RUN apk add --no-cache tzdata
WORKDIR /
# Option values are not packages: .build-deps is a virtual name.
# want "DL3018: Pin versions in apk add"
RUN apk add --no-cache --virtual .build-deps --repository https://dl-cdn.alpinelinux.org/alpine/edge/main jq ca-certificates=20240705-r0
# want "DL3018: ONBUILD Pin versions in apk add"
ONBUILD RUN apk add --no-cache gnupg
USER nobody
CMD ["true"]
