# source: the keywords are matched exactly: "# HADOLINT IGNORE=DL3002" is not a pragma
# target: DL3002
FROM debian:bookworm-slim
# want "DL3002"
# HADOLINT IGNORE=DL3002
USER root
