# hadolint global ignore=DL3002 # the image is a root toolbox
# spec: the trailing comment is also allowed in the global form (same grammar)
# target: DL3002
FROM debian:bookworm-slim
USER root
