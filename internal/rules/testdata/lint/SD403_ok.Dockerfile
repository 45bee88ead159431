# Tools in a builder stage do not ship.
FROM debian:bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends vim=2:9.0.1378-2 \
 && rm -rf /var/lib/apt/lists/*

FROM debian:bookworm-slim
# curl is used by a later RUN and by the health check; git is removed in
# the same RUN that installed it.
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5 git=1:2.39.2-1.1 \
 && git --version \
 && apt-get purge -y git \
 && rm -rf /var/lib/apt/lists/*
RUN curl -fsSL -o /etc/motd https://example.com/motd
USER nobody
HEALTHCHECK CMD curl -fsS http://localhost:8080/ || exit 1
CMD ["true"]
