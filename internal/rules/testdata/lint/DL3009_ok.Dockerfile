FROM debian:bookworm-slim AS build
# A build stage that is only copied from: its lists never ship.
RUN apt-get update && apt-get install -y --no-install-recommends tzdata=2024a-0+deb12u1 && echo built > /out

FROM debian:bookworm-slim
COPY --from=build /out /out
RUN apt-get update && apt-get install -y --no-install-recommends jq=1.6-2.1 && rm -rf /var/lib/apt/lists/*
WORKDIR /
RUN --mount=type=cache,target=/var/lib/apt/lists,sharing=locked \
    --mount=type=cache,target=/var/cache/apt,sharing=locked \
    apt-get update && apt-get install -y --no-install-recommends gnupg=2.2.40-1.1
WORKDIR /srv
RUN <<EOF
apt-get update
apt-get install -y --no-install-recommends libpq5=15.10-0+deb12u1
apt-get distclean
EOF
USER nobody
CMD ["true"]
