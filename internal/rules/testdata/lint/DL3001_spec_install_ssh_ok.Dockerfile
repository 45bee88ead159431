# spec: DL3001 does not fire when ssh is only a package name
FROM debian:bookworm-slim
RUN apt-get install -y --no-install-recommends ssh=1.0 && rm -rf /var/lib/apt/lists/*
ONBUILD RUN apt-get install -y --no-install-recommends ssh=1.0 && rm -rf /var/lib/apt/lists/*
USER nobody
CMD ["true"]
