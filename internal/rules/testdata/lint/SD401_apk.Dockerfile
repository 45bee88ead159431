FROM alpine:3.20
# The index apk update downloads stays in the layer.
# want "SD401: RUN leaves the apk index from apk update"
RUN apk update && apk add --no-cache ca-certificates=20240705-r0
WORKDIR /a
RUN apk update && apk add --no-cache tzdata=2024a-r1 && rm -rf /var/cache/apk/*
USER nobody
CMD ["true"]
