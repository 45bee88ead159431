# spec: DL3012 two HEALTHCHECK instructions in one stage
FROM debian:bookworm-slim
# want "MultipleInstructionsDisallowed"
HEALTHCHECK CMD /bin/probe-a
# want "DL3012"
HEALTHCHECK CMD /bin/probe-b
USER nobody
CMD ["true"]
