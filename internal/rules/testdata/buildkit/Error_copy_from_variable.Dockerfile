ARG SRC_STAGE=build
FROM alpine:3.21 AS build
FROM alpine:3.21
COPY --from=$SRC_STAGE /x /x
