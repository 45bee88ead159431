# A server in a builder stage does not matter.
FROM node:22-slim AS build
CMD ["node", "build.js"]

FROM node:22-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini=0.19.0-1 \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /etc/hostname ./
USER node
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "server.js"]
