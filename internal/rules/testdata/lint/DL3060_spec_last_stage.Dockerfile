# spec: DL3060 yarn install without clean in the last stage
FROM node:20-slim AS foo
RUN hey
FROM node:20-slim
# want "DL3060"
RUN yarn install
USER node
CMD ["true"]
