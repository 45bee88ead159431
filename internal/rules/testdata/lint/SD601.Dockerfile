FROM node:22-slim
WORKDIR /app
COPY server.js .
USER node
# want "SD601: node runs as PID 1"
CMD ["node", "server.js"]
