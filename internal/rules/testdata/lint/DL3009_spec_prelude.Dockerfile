# spec: DL3009 spec snippet without FROM: cache mount on /var/cache/apt only
# target: DL3009
# want "DL3009" "DL3061"
RUN --mount=type=cache,target=/var/cache/apt \
    rm -f /etc/apt/apt.conf.d/docker-clean && \
    apt-get update && apt-get install -y --no-install-recommends libxml2=2.9.14
