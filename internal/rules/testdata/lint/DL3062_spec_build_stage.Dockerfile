# spec: DL3062 has no stage logic: reported in a build stage too
FROM golang:1.23 AS build
# want "DL3062"
RUN --mount=type=cache,target=/root/.cache/go-build --mount=type=cache,target=/go/pkg/mod go install example.com/pkg
FROM debian:bookworm-slim
COPY --from=build /etc/hostname /tmp/x
USER nobody
CMD ["true"]
