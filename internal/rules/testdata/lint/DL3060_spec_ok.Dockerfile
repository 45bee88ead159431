# spec: DL3060 a non-yarn RUN; yarn install followed by yarn cache clean
FROM node:20-slim
RUN foo
WORKDIR /
RUN yarn install bar && yarn cache clean
ONBUILD RUN yarn install bar && yarn cache clean
ONBUILD RUN foo
USER node
CMD ["true"]
