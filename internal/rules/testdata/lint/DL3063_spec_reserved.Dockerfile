# spec: DL3063 (hadolint 2.15) stage named scratch or context
# want "DL3063"
FROM debian:bookworm-slim AS scratch
# want "DL3063"
FROM debian:bookworm-slim AS context
FROM debian:bookworm-slim
USER nobody
CMD ["true"]
