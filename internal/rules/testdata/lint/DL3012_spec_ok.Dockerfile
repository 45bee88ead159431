# spec: DL3012 one HEALTHCHECK per stage is fine
FROM debian:bookworm-slim AS a
HEALTHCHECK CMD /bin/probe-a
FROM debian:bookworm-slim
HEALTHCHECK CMD /bin/probe-b
USER nobody
CMD ["true"]
