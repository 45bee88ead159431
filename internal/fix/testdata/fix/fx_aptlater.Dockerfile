FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends curl
WORKDIR /app
# Deleting the lists here saves nothing: they are in the layer above.
RUN rm -rf /var/lib/apt/lists/*
USER nobody
CMD ["curl", "--version"]
