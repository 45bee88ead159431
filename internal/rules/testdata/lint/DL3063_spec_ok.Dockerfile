# spec: DL3063 an ordinary stage name
FROM debian:bookworm-slim AS widget
FROM debian:bookworm-slim
USER nobody
CMD ["true"]
