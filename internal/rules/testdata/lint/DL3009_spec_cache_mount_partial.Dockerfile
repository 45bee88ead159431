# spec: DL3009 a cache mount on /var/cache/apt only does not replace the clean-up
FROM debian:bookworm-slim
# want "DL3009"
RUN --mount=type=cache,target=/var/cache/apt \
    rm -f /etc/apt/apt.conf.d/docker-clean && \
    apt-get update && apt-get install -y --no-install-recommends libxml2=2.9.14
RUN rm -f /etc/apt/apt.conf.d/docker-clean
# deviation: hadolint also wants a clean-up with a cache mount on /var/lib/apt alone; that
# mount holds /var/lib/apt/lists, so the lists never reach the layer (strata explain DL3009)
RUN --mount=type=cache,target=/var/lib/apt \
    apt-get update && apt-get install -y --no-install-recommends libxml2=2.9.14
USER nobody
CMD ["true"]
