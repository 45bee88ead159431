FROM debian:bookworm-slim AS build
# want "SD403: wget and telnet are installed in the final image but nothing uses them"
RUN <<EOF
set -e
apt-get update
apt-get install -y --no-install-recommends wget=1.21.3-1+b2 telnet=0.17+2.4-2
rm -rf /var/lib/apt/lists/*
EOF

# The final stage is built FROM build: its tools ship.
FROM build
USER nobody
CMD ["true"]
