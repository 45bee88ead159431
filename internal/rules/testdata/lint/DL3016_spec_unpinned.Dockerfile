# spec: DL3016 npm install of a bare name, scoped name, one of several unpinned, --global, git URLs without #ref (also ONBUILD)
FROM node:20-slim
# want "DL3016"
RUN npm install express && npm cache clean --force
# want "DL3016"
ONBUILD RUN npm install express && npm cache clean --force
WORKDIR /
# want "DL3016"
RUN npm install @acme/internal-ui && npm cache clean --force
WORKDIR /
# want "DL3016"
RUN npm install express lodash@4.17.21 && npm cache clean --force
WORKDIR /
# want "DL3016"
RUN npm install --global express && npm cache clean --force
WORKDIR /
# want "DL3016"
RUN npm install git+ssh://git@github.com:acme/widgets.git && npm cache clean --force
WORKDIR /
# want "DL3016"
RUN npm install git+http://deploy@github.com/acme/widgets && npm cache clean --force
WORKDIR /
# want "DL3016"
RUN npm install git+https://deploy@github.com/acme/widgets.git && npm cache clean --force
WORKDIR /
# want "DL3016"
RUN npm install git://github.com/acme/widgets.git && npm cache clean --force
USER node
CMD ["true"]
