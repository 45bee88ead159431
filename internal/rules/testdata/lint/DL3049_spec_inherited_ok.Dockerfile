# spec: DL3049 label in base, stage built FROM base inherits it
# enable: DL3049
# settings: label-schema=foo:text
FROM debian:bookworm-slim AS base
LABEL foo="bar"
FROM base
USER nobody
CMD ["true"]
