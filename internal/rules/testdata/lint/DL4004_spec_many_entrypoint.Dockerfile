# spec: DL4004 two ENTRYPOINTs in one stage (the later one reported)
FROM debian:bookworm-slim AS distro1
# want "MultipleInstructionsDisallowed"
ENTRYPOINT ["bash"]
RUN foo
# want "DL4004"
ENTRYPOINT ["another"]
FROM debian:bookworm-slim
USER nobody
ENTRYPOINT ["another"]
