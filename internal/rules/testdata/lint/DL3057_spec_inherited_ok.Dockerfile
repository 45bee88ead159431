# spec: DL3057 a stage built FROM a stage with HEALTHCHECK inherits it
# enable: DL3057
FROM debian:bookworm-slim AS base
HEALTHCHECK CMD /bin/bla
FROM base
USER nobody
CMD ["true"]
