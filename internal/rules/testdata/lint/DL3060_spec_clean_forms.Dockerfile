# source: DL3060 hadolint takes a yarn cache clean anywhere in the RUN, before or after the install
# deviation: strata wants the clean after the last install: a clean before it leaves what
# the install downloads in the layer (strata explain DL3060)
FROM node:20-slim
# want "DL3060"
RUN yarn cache clean && yarn install
WORKDIR /
RUN yarn install --frozen-lockfile && yarn cache clean --all
USER node
CMD ["true"]
