# spec: DL3018 has no stage logic: reported in a build stage too
FROM alpine:3.20 AS build
# want "DL3018"
RUN apk add --no-cache flex
FROM debian:bookworm-slim
COPY --from=build /etc/hostname /tmp/x
USER nobody
CMD ["true"]
