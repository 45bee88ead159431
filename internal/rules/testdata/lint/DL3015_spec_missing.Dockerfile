# spec: DL3015 apt-get install without --no-install-recommends
FROM debian:bookworm-slim
# want "DL3015"
RUN apt-get install -y libxml2=2.9.14 && rm -rf /var/lib/apt/lists/*
WORKDIR /
# want "DL3015"
RUN apt-get -y install libxml2=2.9.14 && rm -rf /var/lib/apt/lists/*
# want "DL3015"
ONBUILD RUN apt-get -y install libxml2=2.9.14 && rm -rf /var/lib/apt/lists/*
USER nobody
CMD ["true"]
