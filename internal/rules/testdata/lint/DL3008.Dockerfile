FROM debian:bookworm-slim
# want "DL3008: Pin versions in apt-get install"
RUN apt-get update && apt-get install -y --no-install-recommends tzdata && rm -rf /var/lib/apt/lists/*
WORKDIR /
# Option values are not packages; only jq is unpinned.
# want "DL3008: Pin versions in apt-get install"
RUN apt-get update && apt-get -o Dpkg::Options::=--force-confold install -y --no-install-recommends -t bookworm-backports ca-certificates=20230311 jq && rm -rf /var/lib/apt/lists/*
# An ARG default that names an unpinned package.
ARG PACKAGES="libpq5=15.10-0+deb12u1 gnupg"
# want "DL3008: Pin versions in apt-get install"
RUN apt-get update && apt-get install -y --no-install-recommends $PACKAGES && rm -rf /var/lib/apt/lists/*
# want "DL3008: Pin versions in apt-get install"
RUN <<EOF
apt-get update
apt-get install -y --no-install-recommends \
  gnupg
rm -rf /var/lib/apt/lists/*
EOF
# want "DL3008: ONBUILD Pin versions in apt-get install"
ONBUILD RUN apt-get update && apt-get install -y --no-install-recommends tzdata && rm -rf /var/lib/apt/lists/*
USER nobody
CMD ["true"]
