#
# NOTE: THIS DOCKERFILE IS GENERATED VIA "apply-templates.sh"
#
# PLEASE DO NOT EDIT IT DIRECTLY.
#
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends memcached=1.6.18-1 \
 && rm -rf /var/lib/apt/lists/*
USER memcache
# Official images leave the health check to their users.
EXPOSE 11211
CMD ["memcached"]
