# spec: DL1001 fires on a "# hadolint ignore=" comment (reported on the comment's own line)
# enable: DL1001
FROM debian:bookworm-slim
# want-next-line "DL1001"
# hadolint ignore=DL3003
RUN cd /tmp && echo hi
USER nobody
CMD ["true"]
