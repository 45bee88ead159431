FROM debian:bookworm-slim AS base
SHELL ["/bin/bash", "-c"]

# A stage built FROM another keeps its SHELL: BuildKit's check is silent
# (hadolint's DL3025 is not).
FROM base
USER nobody
# want "DL3025: CMD in shell form"
CMD serve --port 8080
