# spec: DL3008 apt-get install of a package without =version (also in ONBUILD)
FROM debian:bookworm-slim
# want "DL3008"
RUN apt-get update && apt-get install -y --no-install-recommends python && rm -rf /var/lib/apt/lists/*
# want "DL3008"
ONBUILD RUN apt-get update && apt-get install -y --no-install-recommends python && rm -rf /var/lib/apt/lists/*
USER nobody
CMD ["true"]
