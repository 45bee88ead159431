FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends tzdata=2024a-0+deb12u1 \
 && apt-get install -y -o APT::Install-Recommends=false jq=1.6-2.1 \
 && rm -rf /var/lib/apt/lists/*
USER nobody
CMD ["true"]
