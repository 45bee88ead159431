FROM debian:bookworm-slim
# want "DL3014: Use the -y switch to avoid manual input"
RUN apt-get update && apt-get install --no-install-recommends tzdata=2024a-0+deb12u1 && rm -rf /var/lib/apt/lists/*
WORKDIR /
# A single -q does not answer the prompt.
# want "DL3014: Use the -y switch to avoid manual input"
RUN apt-get update && apt-get -q install --no-install-recommends jq=1.6-2.1 && rm -rf /var/lib/apt/lists/*
# want "DL3014: ONBUILD Use the -y switch to avoid manual input"
ONBUILD RUN apt-get install --no-install-recommends gnupg=2.2.40-1.1
USER nobody
CMD ["true"]
