FROM alpine:3.20
# apk add --no-cache fetches its own index: the update is useless.
# want "SD201: apk update runs in a RUN of its own and stores the index in this layer" "SD401: RUN leaves the apk index from apk update"
RUN <<EOF
apk update
EOF
# want "DL3059: RUN follows another RUN"
RUN apk add --no-cache ca-certificates=20240705-r0
USER nobody
CMD ["true"]
