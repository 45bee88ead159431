# spec: DL3003 WORKDIR is fine
FROM debian:bookworm-slim
WORKDIR /opt
USER nobody
CMD ["true"]
