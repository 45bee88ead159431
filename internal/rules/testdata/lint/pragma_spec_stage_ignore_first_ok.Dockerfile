# spec: (issue 1096) a stage pragma right above the first FROM covers the builder stage's
# instructions; the next stage is checked again
# target: DL3004
# hadolint stage ignore=DL3004
FROM debian:bookworm-slim AS builder
RUN sudo touch /etc/someconfig.txt
FROM debian:bookworm-slim
COPY --from=builder /etc/someconfig.txt /etc/someconfig.txt
# want "DL3004"
RUN sudo true
USER nobody
CMD ["true"]
