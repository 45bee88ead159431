FROM node:8-alpine
WORKDIR /app
# npm cache clear is the older spelling of npm cache clean.
RUN npm install -g imagemin-cli@5.1.0 && npm cache clear
USER node
ENTRYPOINT ["imagemin"]
