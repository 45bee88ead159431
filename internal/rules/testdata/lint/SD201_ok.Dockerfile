FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates=20230311 \
 && rm -rf /var/lib/apt/lists/*
RUN <<EOF
set -e
apt-get update
apt-get install -y --no-install-recommends tzdata=2024a-0+deb12u1
rm -rf /var/lib/apt/lists/*
EOF
USER nobody
CMD ["true"]
