# spec: DL3027 apt used instead of apt-get (also ONBUILD)
FROM debian:bookworm-slim
# want "DL3027"
RUN apt install -y --no-install-recommends libxml2=2.9.14 && rm -rf /var/lib/apt/lists/*
# want "DL3027"
ONBUILD RUN apt install -y --no-install-recommends libxml2=2.9.14 && rm -rf /var/lib/apt/lists/*
USER nobody
CMD ["true"]
