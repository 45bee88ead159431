# source: "#hadolint ignore=DL3002" (no space after #) and extra spaces before "hadolint" are accepted
# target: DL3002
FROM debian:bookworm-slim AS a
#hadolint ignore=DL3002
USER root
FROM debian:bookworm-slim
#    hadolint    ignore=DL3002
USER root
