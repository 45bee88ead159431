FROM debian:bookworm-slim
WORKDIR /src
COPY hello.c Makefile ./
# want "SD404: make compiles in the final image" "SD701: apt-get re-runs whenever the files copied on line 3 change and downloads everything again"
RUN <<EOF
set -e
apt-get update
apt-get install -y --no-install-recommends gcc=4:12.2.0-3 make=4.3-4.1 libc6-dev=2.36-9+deb12u7
make hello
rm -rf /var/lib/apt/lists/*
EOF
USER nobody
CMD ["/src/hello"]
