FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends redis-server=5:7.0.15-1~deb12u1 \
 && rm -rf /var/lib/apt/lists/*
USER redis
# 6379 speaks RESP, not HTTP: the probe is redis-cli's PING.
# want `SD602: the image serves port 6379 \(REDIS\) but has no HEALTHCHECK.*redis-cli -h 127\.0\.0\.1 -p 6379 ping`
EXPOSE 6379
CMD ["redis-server", "--protected-mode", "no"]
