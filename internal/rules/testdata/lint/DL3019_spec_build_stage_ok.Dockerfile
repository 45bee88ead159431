# spec: DL3019 has no stage logic in hadolint: a build stage only read by COPY --from is reported too
# deviation: strata leaves out build stages nothing ships from: their cache never reaches an
# image (strata explain DL3019)
FROM alpine:3.20 AS build
RUN apk add flex=2.6.4-r1
FROM debian:bookworm-slim
COPY --from=build /etc/hostname /tmp/x
USER nobody
CMD ["true"]
