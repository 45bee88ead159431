# spec: DL3046 useradd with a long UID and without -l
FROM debian:bookworm-slim
# want "DL3046"
RUN useradd -u 123456 appuser
USER appuser
CMD ["true"]
