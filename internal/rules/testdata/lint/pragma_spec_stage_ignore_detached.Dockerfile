# source: (PR 1195) a stage pragma that is not directly followed by FROM is ignored
# target: DL3004
# hadolint stage ignore=DL3004
# the builder
FROM debian:bookworm-slim AS builder
# want "DL3004"
RUN sudo touch /etc/someconfig.txt
FROM debian:bookworm-slim
COPY --from=builder /etc/someconfig.txt /etc/someconfig.txt
USER nobody
CMD ["true"]
