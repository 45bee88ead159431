FROM debian:bookworm-slim AS base
SHELL ["/bin/bash", "-c"]

FROM base AS app
CMD echo inherited

FROM debian:bookworm-slim
CMD echo fresh
