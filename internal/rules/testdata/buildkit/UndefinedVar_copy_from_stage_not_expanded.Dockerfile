FROM alpine:3.21 AS build
RUN touch /artifact

FROM alpine:3.21
COPY --from=build /artifact /$DEST_NAME
