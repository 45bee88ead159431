FROM debian:bookworm-slim AS base
# A stage built upon ships its lists.
# want "DL3009: Delete the apt-get lists after installing something"
RUN apt-get update && apt-get install -y --no-install-recommends tzdata=2024a-0+deb12u1

FROM base
# want "DL3009: Delete the apt-get lists after installing something"
RUN apt-get update && apt-get upgrade -y
WORKDIR /
# The lists must go after the last install.
# want "DL3009: Delete the apt-get lists after installing something"
RUN apt-get update && rm -rf /var/lib/apt/lists/* && apt-get update && apt-get install -y --no-install-recommends jq=1.6-2.1
# want "DL3009: Delete the apt-get lists after installing something"
RUN <<EOF
apt-get update
apt-get install -y --no-install-recommends gnupg=2.2.40-1.1
EOF
# want "DL3009: ONBUILD Delete the apt-get lists after installing something"
ONBUILD RUN apt-get update && apt-get install -y --no-install-recommends libpq5=15.10-0+deb12u1
USER nobody
CMD ["true"]
