# hadolint global ignore=DL3002
# spec: "# hadolint global ignore=DL3002" anywhere silences the rule in the whole file
# target: DL3002
FROM debian:bookworm-slim
USER root
