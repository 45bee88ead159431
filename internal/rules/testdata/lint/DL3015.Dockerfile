FROM debian:bookworm-slim
# want "DL3015: Avoid additional packages by specifying --no-install-recommends"
RUN apt-get update && apt-get install -y tzdata=2024a-0+deb12u1 && rm -rf /var/lib/apt/lists/*
WORKDIR /
# want "DL3015: Avoid additional packages by specifying --no-install-recommends"
RUN <<EOF
apt-get update
apt-get install -y jq=1.6-2.1
rm -rf /var/lib/apt/lists/*
EOF
# want "DL3015: ONBUILD Avoid additional packages by specifying --no-install-recommends"
ONBUILD RUN apt-get install -y gnupg=2.2.40-1.1
USER nobody
CMD ["true"]
