FROM debian:bookworm-slim
# The install below reuses this cached layer and its stale index.
# want "SD201: apt-get update runs in a RUN of its own" "DL3009: Delete the apt-get lists after installing something"
RUN apt-get update
RUN apt-get install -y --no-install-recommends ca-certificates=20230311 && rm -rf /var/lib/apt/lists/*
# An update with no install after it only stores an index.
# want "SD201: apt-get update runs in a RUN of its own" "DL3009: Delete the apt-get lists after installing something"
RUN apt-get -qq update
ONBUILD RUN apt-get install -y --no-install-recommends tzdata=2024a-0+deb12u1 && rm -rf /var/lib/apt/lists/*
# Triggers run in a downstream build; a lone update there is the same trap.
# want "SD201: ONBUILD apt-get update runs in a RUN of its own" "DL3009: ONBUILD Delete the apt-get lists after installing something"
ONBUILD RUN apt-get update
USER nobody
CMD ["true"]
