FROM debian:bookworm-slim
# want "DL3027"
RUN apt update && apt install -y --no-install-recommends tzdata=2024a-0+deb12u1 && rm -rf /var/lib/apt/lists/*
WORKDIR /
# want "DL3027"
RUN apt show tzdata > /tmp/info
# want "DL3027"
ONBUILD RUN apt list --installed > /tmp/list
USER nobody
CMD ["true"]
