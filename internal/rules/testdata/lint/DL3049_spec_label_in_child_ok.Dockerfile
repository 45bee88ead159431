# spec: DL3049 label set in the stage built FROM base covers base too
# enable: DL3049
# settings: label-schema=foo:text
FROM debian:bookworm-slim AS base
FROM base
LABEL foo="bar"
USER nobody
CMD ["true"]
