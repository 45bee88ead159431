# spec: DL3060 yarn install without clean in a stage that a later FROM builds on
FROM node:20-slim AS foo
# want "DL3060"
RUN yarn install
FROM foo
RUN hey
USER node
CMD ["true"]
