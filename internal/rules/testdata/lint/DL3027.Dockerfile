FROM debian:bookworm-slim
# want "DL3027: Do not use apt as it is meant to be an end-user tool, use apt-get or apt-cache instead"
RUN apt update && apt install -y --no-install-recommends tzdata=2024a-0+deb12u1 && rm -rf /var/lib/apt/lists/*
WORKDIR /
# want "DL3027: Do not use apt as it is meant to be an end-user tool, use apt-get or apt-cache instead"
RUN apt show tzdata > /tmp/info
# want "DL3027: ONBUILD Do not use apt as it is meant to be an end-user tool"
ONBUILD RUN apt list --installed > /tmp/list
USER nobody
CMD ["true"]
