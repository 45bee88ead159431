FROM node:22-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini=0.19.0-1 \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY server.js .
# tini is transparent: node runs as root.
ENTRYPOINT ["tini", "--"]
# want "SD501: the final image never sets USER, so node runs as root"
CMD ["node", "server.js"]
