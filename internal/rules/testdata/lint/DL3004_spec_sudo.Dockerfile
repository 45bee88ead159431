# spec: DL3004 sudo as a command, first or chained, also in ONBUILD
FROM debian:bookworm-slim
# want "DL3004"
RUN sudo apt-get update && apt-get install -y --no-install-recommends jq=1.6 && rm -rf /var/lib/apt/lists/*
# want "DL3004"
RUN apt-get update && sudo apt-get install -y --no-install-recommends jq=1.6 && rm -rf /var/lib/apt/lists/*
# want "DL3004"
ONBUILD RUN sudo apt-get update && apt-get install -y --no-install-recommends jq=1.6 && rm -rf /var/lib/apt/lists/*
# want "DL3004"
ONBUILD RUN apt-get update && sudo apt-get install -y --no-install-recommends jq=1.6 && rm -rf /var/lib/apt/lists/*
USER nobody
CMD ["true"]
