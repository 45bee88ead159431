# Only stages that ship are checked: the builder may keep its caches.
FROM node:22-slim AS build
RUN npm install -g typescript@5.4.5 && tsc --version > /v

FROM node:22-slim
COPY --from=build /v /v
# want "SD401: RUN leaves the npm cache"
RUN npm install -g pm2@5.3.0
RUN npm install -g serve@14.2.3 && npm cache clean --force
RUN --mount=type=cache,target=/root/.npm npm install -g nodemon@3.1.0
# want "SD401: RUN leaves the npm cache"
RUN <<EOF
npm install -g http-server@14.1.1
EOF
# want "SD401: ONBUILD RUN leaves the npm cache"
ONBUILD RUN npm install -g eslint@9.0.0
USER node
CMD ["true"]
