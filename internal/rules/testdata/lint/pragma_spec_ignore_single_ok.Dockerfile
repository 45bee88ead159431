# spec: pragma "# hadolint ignore=DL3002" directly above the instruction silences it
# target: DL3002
FROM debian:bookworm-slim
# hadolint ignore=DL3002
USER root
