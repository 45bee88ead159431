FROM --platform=$BUILDPLATFORM golang:1.23 AS build
FROM alpine:3.20
USER nobody
CMD ["true"]
