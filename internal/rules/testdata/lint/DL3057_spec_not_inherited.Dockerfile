# spec: DL3057 HEALTHCHECK of an unrelated stage does not cover the next one
# enable: DL3057
FROM debian:bookworm-slim AS base
HEALTHCHECK CMD /bin/bla
# want "DL3057"
FROM debian:bookworm-slim
USER nobody
CMD ["true"]
