FROM debian:bookworm-slim
# apt is for people: scripts use apt-get, and -y answers the prompt.
RUN apt-get update && apt install --no-install-recommends curl=7.88.1-10+deb12u5 && rm -rf /var/lib/apt/lists/*
RUN apt-get update && apt-get install --no-install-recommends jq=1.6-2.1 && rm -rf /var/lib/apt/lists/*
CMD ["jq", "--version"]
