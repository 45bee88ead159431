FROM debian:bookworm-slim AS base
SHELL ["/bin/bash", "-c"]

# A stage built FROM another keeps its SHELL.
FROM base
USER nobody
# strata ignore=DL3025
CMD serve --port 8080
