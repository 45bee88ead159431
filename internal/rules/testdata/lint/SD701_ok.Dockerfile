FROM node:22-slim
ENV PNPM_HOME=/pnpm
WORKDIR /app
COPY package.json pnpm-lock.yaml ./
# Caches mounted where the tools keep them (relocated by PNPM_HOME, or
# in the node user's home) count.
RUN --mount=type=cache,id=pnpm,target=/pnpm/store corepack enable && pnpm install --frozen-lockfile
USER node
RUN --mount=type=cache,target=/home/node/.npm,uid=1000 npm ci
CMD ["true"]
