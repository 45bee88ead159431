# spec: DL3008 has no stage logic: reported in a build stage too
FROM debian:bookworm-slim AS build
# want "DL3008"
RUN apt-get update && apt-get install -y --no-install-recommends python && rm -rf /var/lib/apt/lists/*
FROM debian:bookworm-slim
COPY --from=build /etc/hostname /tmp/x
USER nobody
CMD ["true"]
