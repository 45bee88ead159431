FROM debian:bookworm-slim
# want "SD403: curl and vim are installed in the final image but nothing uses them"
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5 vim=2:9.0.1378-2 procps=2:4.0.2-3 \
 && rm -rf /var/lib/apt/lists/*
# Removing another package does not remove wget.
# want "SD403: wget is installed in the final image but nothing uses it"
RUN apt-get update \
 && apt-get install -y --no-install-recommends wget=1.21.3-1+b2 \
 && apt-get purge -y tzdata \
 && rm -rf /var/lib/apt/lists/*
USER nobody
# procps is used by the health check; curl and vim by nothing.
HEALTHCHECK CMD pgrep app || exit 1
CMD ["true"]
