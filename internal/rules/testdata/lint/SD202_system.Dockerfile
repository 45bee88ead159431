FROM debian:bookworm-slim AS test
WORKDIR /src
COPY . .
# A tool installed late in a side stage (built with --target) is meant
# that way: not reported (a cache mount would still help).
# want "SD701: apt-get re-runs whenever the files copied on line 3 change and downloads everything again"
RUN apt-get update \
 && apt-get install -y --no-install-recommends shellcheck=0.9.0-1 \
 && rm -rf /var/lib/apt/lists/*

FROM debian:bookworm-slim
WORKDIR /app
# In a stage of the image, system packages belong above the COPY.
# want "SD202: COPY copies the whole build context before the install on line 17"
COPY . .
# want "SD701: apt-get re-runs whenever the files copied on line 15 change and downloads everything again"
RUN apt-get update \
 && apt-get install -y --no-install-recommends tzdata=2024a-0+deb12u1 \
 && rm -rf /var/lib/apt/lists/*
USER nobody
CMD ["true"]
