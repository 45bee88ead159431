# spec: a "# comment" after the rule list is allowed ("# hadolint ignore=DL3002 # widget")
# target: DL3002
FROM debian:bookworm-slim
# hadolint ignore=DL3002 # widget
USER root
