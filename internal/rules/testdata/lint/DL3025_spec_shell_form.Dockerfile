# spec: DL3025 ENTRYPOINT and CMD in shell form (each reported)
FROM node:20-slim AS foo
# want "DL3025" "JSONArgsRecommended"
ENTRYPOINT echo step
FROM debian:bookworm-slim
USER nobody
# want "DL3025" "JSONArgsRecommended"
CMD echo step
