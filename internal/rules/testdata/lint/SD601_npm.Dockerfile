FROM node:22-slim
WORKDIR /app
COPY package.json server.js ./
USER node
# want `SD601: npm runs as PID 1 \(CMD\): npm is a wrapper that does not pass SIGTERM on`
CMD ["npm", "start"]
