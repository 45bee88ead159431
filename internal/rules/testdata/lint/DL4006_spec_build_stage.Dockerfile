# spec: DL4006 has no stage logic: reported in a build stage too
FROM debian:bookworm-slim AS build
# want "DL4006"
RUN wget -nv -O - https://example.org/data | wc -l > /tmp/count
FROM debian:bookworm-slim
COPY --from=build /etc/hostname /tmp/x
USER nobody
CMD ["true"]
