# spec: a trailing space after the rule list is allowed
# target: DL3002
FROM debian:bookworm-slim
# hadolint ignore=DL3002 
USER root
