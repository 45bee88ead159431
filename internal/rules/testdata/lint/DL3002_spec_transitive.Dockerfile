# spec: DL3002 a stage left as root fires even when a later stage builds FROM it
FROM debian:bookworm-slim AS base
# want "DL3002"
USER root
RUN echo step
FROM base
RUN echo done
