# spec: DL3060 a reused stage that cleans the yarn cache is fine
FROM node:20-slim AS foo
RUN yarn install && yarn cache clean
FROM foo
RUN hey
USER node
CMD ["true"]
