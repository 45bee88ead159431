FROM node:20-bookworm AS development
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci && npm cache clean --force
COPY . .
CMD ["npm", "run", "dev"]

# The development stage is also the base of a Docker Dev Environment,
# which expects the full image's tools.
FROM development AS dev-envs
RUN apt-get update \
 && apt-get install -y --no-install-recommends git=1:2.39.2-1.1 \
 && rm -rf /var/lib/apt/lists/*
RUN useradd -s /bin/bash -m vscode
CMD ["sleep", "infinity"]
