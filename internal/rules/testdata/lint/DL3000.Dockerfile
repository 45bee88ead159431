FROM debian:bookworm-slim AS build
# want "DL3000"
WORKDIR app
WORKDIR /srv
# Relative to a known WORKDIR: still reported, the fix resolves it.
# want "DL3000"
WORKDIR "data dir"
# want "DL3000"
ONBUILD WORKDIR src

FROM build
# want "DL3000"
WORKDIR ../logs
USER nobody
CMD ["true"]
