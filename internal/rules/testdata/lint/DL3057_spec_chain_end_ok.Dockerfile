# spec: DL3057 a HEALTHCHECK at the end of an inheritance chain covers every stage of the chain
# enable: DL3057
FROM debian:bookworm-slim AS base1
FROM base1 AS base2
FROM base2 AS base3
FROM base3 AS end
HEALTHCHECK NONE
USER nobody
CMD ["true"]
