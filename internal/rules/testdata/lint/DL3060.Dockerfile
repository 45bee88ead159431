FROM node:20-slim AS base
WORKDIR /app
# want "DL3060: `yarn cache clean` missing after `yarn install` was run"
RUN yarn install --frozen-lockfile
FROM base
# want "DL3060: `yarn cache clean` missing after `yarn install` was run"
RUN yarn add left-pad@1.3.0
WORKDIR /srv
# want "DL3060: `yarn cache clean` missing after `yarn install` was run"
RUN <<EOF
yarn cache clean
yarn
EOF
# want "DL3060: ONBUILD `yarn cache clean` missing after `yarn install` was run"
ONBUILD RUN yarn install
USER node
CMD ["true"]
