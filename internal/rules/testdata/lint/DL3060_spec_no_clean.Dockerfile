# spec: DL3060 yarn install without yarn cache clean in the (only/final) stage, also ONBUILD
FROM node:20-slim
# want "DL3060"
RUN yarn install foo
# want "DL3060"
ONBUILD RUN yarn install foo
USER node
CMD ["true"]
