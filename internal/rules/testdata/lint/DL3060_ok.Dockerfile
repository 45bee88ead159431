FROM node:20-slim AS build
WORKDIR /app
# A build stage nothing ships from.
RUN yarn install --frozen-lockfile && yarn build
FROM node:20-slim
COPY --from=build /app/dist /app
RUN yarn install --production && yarn cache clean
WORKDIR /srv
RUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install --production
USER node
CMD ["true"]
