FROM debian:bookworm-slim AS build
# want "DL3000: WORKDIR app is relative" "WorkdirRelativePath"
WORKDIR app
WORKDIR /srv
# Relative to a known WORKDIR: still reported, the fix resolves it.
# want "DL3000: WORKDIR data dir is relative"
WORKDIR "data dir"
# want "DL3000: ONBUILD WORKDIR src is relative"
ONBUILD WORKDIR src

FROM build
# want `DL3000: WORKDIR \.\./logs is relative`
WORKDIR ../logs
USER nobody
CMD ["true"]
