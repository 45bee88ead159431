# spec: DL3015 has no stage logic: reported in a build stage too
FROM debian:bookworm-slim AS build
# want "DL3015"
RUN apt-get update && apt-get install -y libxml2=2.9.14 && rm -rf /var/lib/apt/lists/*
FROM debian:bookworm-slim
COPY --from=build /etc/hostname /tmp/x
USER nobody
CMD ["true"]
