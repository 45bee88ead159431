# spec: DL3057 chain that forks: the branch whose end has no HEALTHCHECK is reported (the branch stage and its end)
# enable: DL3057
FROM debian:bookworm-slim AS base1
FROM base1 AS base2
FROM base2 AS base3.1
# deviation: hadolint also reports this branch stage; strata reports the final stage, where
# one HEALTHCHECK covers the chain (strata explain DL3057)
FROM base2 AS base3.2

FROM base3.1 AS end1
HEALTHCHECK NONE

# want "DL3057"
FROM base3.2 AS end2
USER nobody
CMD ["true"]
