# spec: DL3015 --no-install-recommends, or -o APT::Install-Recommends=false
FROM debian:bookworm-slim
RUN apt-get install -y --no-install-recommends libxml2=2.9.14 && rm -rf /var/lib/apt/lists/*
WORKDIR /
RUN apt-get -y -o APT::Install-Recommends=false install libxml2=2.9.14 && rm -rf /var/lib/apt/lists/*
ONBUILD RUN apt-get -y -o APT::Install-Recommends=false install libxml2=2.9.14 && rm -rf /var/lib/apt/lists/*
USER nobody
CMD ["true"]
