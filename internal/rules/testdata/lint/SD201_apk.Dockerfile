FROM alpine:3.20
# apk add --no-cache fetches its own index: the update is useless.
# want "SD201" "SD401"
RUN <<EOF
apk update
EOF
# want "DL3059"
RUN apk add --no-cache ca-certificates=20240705-r0
USER nobody
CMD ["true"]
