# source: rule names are runs of the upper-case letters D, L, S, C and digits: "ignore=dl3002" is not a pragma
# target: DL3002
FROM debian:bookworm-slim
# want "DL3002"
# hadolint ignore=dl3002
USER root
