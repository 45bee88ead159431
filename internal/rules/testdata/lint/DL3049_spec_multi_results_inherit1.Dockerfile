# spec: DL3049 two stages FROM base, the first labelled: the second is reported
# enable: DL3049
# settings: label-schema=foo:text
FROM debian:bookworm-slim AS base
FROM base AS r1
LABEL foo="bar"

# want "DL3049"
FROM base
USER nobody
CMD ["true"]
