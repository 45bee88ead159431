# spec: DL3013 has no stage logic: reported in a build stage too
FROM python:3.12-slim AS build
# want "DL3013"
RUN pip install --no-cache-dir six
FROM debian:bookworm-slim
COPY --from=build /etc/hostname /tmp/x
USER nobody
CMD ["true"]
