# spec: DL3016 package.json installs, @version (incl. scoped and quoted ranges), tarballs, folders, git #ref, npm run, --loglevel value
FROM node:20-slim
RUN npm install && npm cache clean --force
WORKDIR /
RUN npm install --progress=false && npm cache clean --force
WORKDIR /
RUN npm install express@4.1.1 && npm cache clean --force
WORKDIR /
RUN npm install @acme/internal-ui@">=0.1.0" && npm cache clean --force
WORKDIR /
RUN npm install express@"4.1.1" lodash@4.17.21 && npm cache clean --force
WORKDIR /
RUN npm install --global express@"4.1.1" && npm cache clean --force
WORKDIR /
RUN npm install -g express@"4.1.1" && npm cache clean --force
WORKDIR /
RUN npm install package-v1.2.3.tar && npm cache clean --force
WORKDIR /
RUN npm install package-v1.2.3.tar.gz && npm cache clean --force
WORKDIR /
RUN npm install package-v1.2.3.tgz && npm cache clean --force
WORKDIR /
RUN npm install /folder && npm cache clean --force
WORKDIR /
RUN npm install ./folder && npm cache clean --force
WORKDIR /
RUN npm install ../folder && npm cache clean --force
WORKDIR /
RUN npm install ~/folder && npm cache clean --force
WORKDIR /
RUN npm install git+ssh://git@github.com:acme/widgets.git#v1.0.27 && npm cache clean --force
WORKDIR /
RUN npm install git+http://deploy@github.com/acme/widgets#semver:^5.0 && npm cache clean --force
WORKDIR /
RUN npm install git+https://deploy@github.com/acme/widgets.git#v1.0.27 && npm cache clean --force
WORKDIR /
RUN npm install git://github.com/acme/widgets.git#v1.0.27 && npm cache clean --force
WORKDIR /
RUN npm run --bogus install && npm cache clean --force
WORKDIR /
RUN npm install @acme/internal-ui@">=0.1.0 <0.2.0" && npm cache clean --force
WORKDIR /
RUN npm install --loglevel verbose lodash@4.17.21 && npm cache clean --force
ONBUILD RUN npm install express@4.1.1 && npm cache clean --force
USER node
CMD ["true"]
