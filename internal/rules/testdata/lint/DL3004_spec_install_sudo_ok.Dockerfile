# spec: DL3004 installing the sudo package is fine
FROM debian:bookworm-slim
RUN apt-get install -y --no-install-recommends sudo=1.0 && rm -rf /var/lib/apt/lists/*
ONBUILD RUN apt-get install -y --no-install-recommends sudo=1.0 && rm -rf /var/lib/apt/lists/*
USER nobody
CMD ["true"]
