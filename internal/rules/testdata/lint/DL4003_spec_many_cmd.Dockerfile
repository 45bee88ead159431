# spec: DL4003 two CMDs in one stage (the later one reported), even when a later stage has its own CMD
FROM debian:bookworm-slim AS distro1
# want "MultipleInstructionsDisallowed"
CMD ["bash"]
RUN foo
# want "DL4003"
CMD ["another"]
FROM debian:bookworm-slim
USER nobody
CMD ["another"]
