# spec: DL3049 two stages FROM base, the second labelled: the first is reported
# enable: DL3049
# settings: label-schema=foo:text
FROM debian:bookworm-slim AS base
# want "DL3049"
FROM base AS r1

FROM base
LABEL foo="bar"
USER nobody
CMD ["true"]
