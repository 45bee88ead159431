# spec: DL3047 has no stage logic: reported in a build stage too
FROM debian:bookworm-slim AS build
# want "DL3047"
RUN wget example.org/file.tgz
FROM debian:bookworm-slim
COPY --from=build /etc/hostname /tmp/x
USER nobody
CMD ["true"]
