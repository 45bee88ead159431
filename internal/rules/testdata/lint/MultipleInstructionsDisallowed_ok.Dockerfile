FROM debian:bookworm-slim AS base
CMD ["base"]

# A stage built FROM another starts afresh.
FROM base
# An ONBUILD CMD of the same stage is not counted.
ONBUILD CMD ["later"]
USER nobody
CMD ["child"]
