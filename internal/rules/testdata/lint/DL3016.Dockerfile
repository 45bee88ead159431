FROM node:20-slim
# want "DL3016: Pin versions in npm"
RUN npm install -g typescript && npm cache clean --force
WORKDIR /app
# Option values are not packages; lodash and the git URL are unpinned.
# want "DL3016: Pin versions in npm"
RUN npm install --prefix /opt/x --registry https://registry.example lodash express@4.19.2 git+https://github.com/a/b.git && npm cache clean --force
# want "DL3016: ONBUILD Pin versions in npm"
ONBUILD RUN npm i left-pad && npm cache clean --force
USER node
CMD ["true"]
