FROM node:22-slim
ARG DEST=/app/
COPY package.json /app
COPY package.json package-lock.json /app/
COPY ["a.txt", "b.txt", "/data/"]
COPY one.txt two.txt "/opt/dir/"
COPY x y ${DEST}
USER node
CMD ["node", "server.js"]
