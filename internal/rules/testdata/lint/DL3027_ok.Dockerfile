FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends tzdata=2024a-0+deb12u1 && apt-cache show tzdata > /tmp/info && echo apt && rm -rf /var/lib/apt/lists/*
USER nobody
CMD ["true"]
