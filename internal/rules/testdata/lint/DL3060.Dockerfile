FROM node:20-slim AS base
WORKDIR /app
# want "DL3060"
RUN yarn install --frozen-lockfile
FROM base
# want "DL3060"
RUN yarn add left-pad@1.3.0
WORKDIR /srv
# want "DL3060"
RUN <<EOF
yarn cache clean
yarn
EOF
# want "DL3060"
ONBUILD RUN yarn install
USER node
CMD ["true"]
