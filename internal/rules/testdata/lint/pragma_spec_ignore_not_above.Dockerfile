# spec: an ignore pragma applies only to the line right below it (here: the FROM), not to later instructions
# target: DL3002
# hadolint ignore=DL3001,DL3002
FROM debian:bookworm-slim
# want "DL3002"
USER root
