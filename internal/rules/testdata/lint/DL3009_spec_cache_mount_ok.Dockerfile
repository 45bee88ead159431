# spec: DL3009 a cache mount on /var/lib/apt/lists, or on both /var/lib/apt and /var/cache/apt, replaces the cleanup
FROM debian:bookworm-slim
RUN --mount=type=cache,target=/var/lib/apt/lists \
    apt-get update && apt-get install -y --no-install-recommends libxml2=2.9.14
RUN --mount=type=cache,target=/var/lib/apt \
    --mount=type=cache,target=/var/cache/apt \
    rm -f /etc/apt/apt.conf.d/docker-clean && \
    apt-get update && apt-get install -y --no-install-recommends libxml2=2.9.14
RUN rm -f /etc/apt/apt.conf.d/docker-clean
RUN --mount=type=cache,target=/var/cache/apt \
    --mount=type=cache,target=/var/lib/apt \
    apt-get update && apt-get install -y --no-install-recommends foo=1.0
USER nobody
CMD ["true"]
