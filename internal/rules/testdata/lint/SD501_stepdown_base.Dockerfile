# redis's own ENTRYPOINT (docker-entrypoint.sh) steps down to redis.
FROM redis:7.2-bookworm
COPY redis.conf /usr/local/etc/redis/redis.conf
CMD ["redis-server", "/usr/local/etc/redis/redis.conf"]
