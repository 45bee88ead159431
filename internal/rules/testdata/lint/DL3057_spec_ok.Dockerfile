# spec: DL3057 HEALTHCHECK NONE or CMD in the stage
# enable: DL3057
FROM debian:bookworm-slim AS a
HEALTHCHECK NONE
FROM debian:bookworm-slim
HEALTHCHECK CMD /bin/bla
USER nobody
CMD ["true"]
