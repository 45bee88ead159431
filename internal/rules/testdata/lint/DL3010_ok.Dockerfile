FROM debian:bookworm-slim AS a
ADD app.tar.gz /opt/
# Copied but never extracted, or extracted in another stage.
COPY data.tar.gz /srv/
COPY other.tar.gz /tmp/
FROM debian:bookworm-slim
COPY --from=a /opt /opt
RUN tar -xzf /tmp/other.tar.gz -C /opt
USER nobody
CMD ["true"]
