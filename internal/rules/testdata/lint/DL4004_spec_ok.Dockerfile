# spec: DL4004 one ENTRYPOINT per stage
FROM debian:bookworm-slim AS distro1
ENTRYPOINT ["bash"]
RUN foo
FROM debian:bookworm-slim
USER nobody
ENTRYPOINT ["another"]
