# spec: DL3045 WORKDIR of an unrelated earlier stage does not count
FROM debian:bookworm-slim AS stage1
WORKDIR /usr
FROM debian:bookworm-slim
# want "DL3045"
COPY foo bar
USER nobody
CMD ["true"]
