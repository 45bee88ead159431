# spec: DL4003 one CMD per stage
FROM debian:bookworm-slim AS distro1
CMD ["bash"]
RUN foo
FROM debian:bookworm-slim
USER nobody
CMD ["another"]
