FROM debian:bookworm-slim
# want "DL3009: Delete the apt-get lists after installing something"
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates=20230311
# want "SD402: RUN removes the apt package lists"
RUN rm -rf /var/lib/apt/lists/*
WORKDIR /opt
RUN apt-get update \
 && apt-get install -y --no-install-recommends wget=1.21.3-1+b2 \
 && wget -nv -O /tmp/tool.tar.gz https://example.com/tool.tar.gz \
 && rm -rf /var/lib/apt/lists/*
# want `SD402: RUN removes /tmp/tool\.tar\.gz`
RUN tar -xzf /tmp/tool.tar.gz -C /opt && rm /tmp/tool.tar.gz
COPY big.bin /tmp/
# want `SD402: RUN removes /tmp/big\.bin`
RUN cat /tmp/big.bin > /dev/null && rm -f /tmp/big.bin
USER nobody
CMD ["true"]
