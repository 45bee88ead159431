FROM node:22-slim
WORKDIR /app
COPY package.json yarn.lock /app/
# yarn keeps its cache in the layer unless told otherwise.
RUN yarn install --frozen-lockfile
COPY . /app/
CMD ["node", "server.js"]
