FROM node:20-slim
WORKDIR /app
RUN npm install && npm ci && npm install typescript@5.4.5 @types/node@20.12.7 ./local-pkg \
      git+https://github.com/a/b.git#v1.0.0 https://example.com/pkg.tgz \
 && npm cache clean --force
USER node
CMD ["true"]
