FROM debian:bookworm-slim
# want "SD403"
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5 vim=2:9.0.1378-2 procps=2:4.0.2-3 \
 && rm -rf /var/lib/apt/lists/*
USER nobody
# procps is used by the health check; curl and vim by nothing.
HEALTHCHECK CMD pgrep app || exit 1
CMD ["true"]
