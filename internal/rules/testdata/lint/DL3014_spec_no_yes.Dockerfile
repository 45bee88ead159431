# spec: DL3014 apt-get install without -y; a single -q or --quiet is not enough
FROM debian:bookworm-slim
# want "DL3014"
RUN apt-get install --no-install-recommends libxml2=2.9.14 && rm -rf /var/lib/apt/lists/*
WORKDIR /
# want "DL3014"
RUN apt-get install -q --no-install-recommends libxml2=2.9.14 && rm -rf /var/lib/apt/lists/*
WORKDIR /
# want "DL3014"
RUN apt-get install --quiet --no-install-recommends libxml2=2.9.14 && rm -rf /var/lib/apt/lists/*
# want "DL3014"
ONBUILD RUN apt-get install -q --no-install-recommends libxml2=2.9.14 && rm -rf /var/lib/apt/lists/*
USER nobody
CMD ["true"]
