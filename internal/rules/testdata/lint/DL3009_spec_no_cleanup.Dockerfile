# spec: DL3009 apt-get update without rm -rf /var/lib/apt/lists/* in the (only/final) stage
FROM debian:bookworm-slim
# want "DL3009"
RUN apt-get update && apt-get install -y --no-install-recommends libxml2=2.9.14
USER nobody
CMD ["true"]
