FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends tzdata=2024a-0+deb12u1 \
 && apt-get -qq install --no-install-recommends jq=1.6-2.1 \
 && apt-get install --yes --no-install-recommends gnupg=2.2.40-1.1 \
 && apt-get --assume-yes install --no-install-recommends libpq5=15.10-0+deb12u1 \
 && apt-get -qy install --no-install-recommends ca-certificates=20230311 \
 && rm -rf /var/lib/apt/lists/*
USER nobody
CMD ["true"]
