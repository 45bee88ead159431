# Node.js 8 is past its end of life as well.
# want "SD103: the final image is built on node:8-alpine, past its end of life"
FROM node:8-alpine
WORKDIR /app
# npm cache clear is the older spelling of npm cache clean.
RUN npm install -g imagemin-cli@5.1.0 && npm cache clear
USER node
ENTRYPOINT ["imagemin"]
