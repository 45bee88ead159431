FROM debian:bookworm-slim
ARG TZDATA_VERSION=2024a-0+deb12u1
ARG EXTRA
RUN apt-get update \
 && apt-get install -y --no-install-recommends tzdata=${TZDATA_VERSION} ./local.deb \
      libssl3/bookworm-security $EXTRA \
 && rm -rf /var/lib/apt/lists/*
USER nobody
CMD ["true"]
