# spec: DL3002 a stage that switches back to non-root, then a stage without USER: fine
FROM debian:bookworm-slim AS base
USER root
RUN echo step
USER foo
FROM scratch
RUN echo done
