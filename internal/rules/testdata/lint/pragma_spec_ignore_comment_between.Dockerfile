# source: the ignore pragma covers exactly the next line; with another comment line in between it covers that comment and nothing
# target: DL3002
FROM debian:bookworm-slim
# want "DL3002"
# hadolint ignore=DL3002
# the reason for the ignore
USER root
