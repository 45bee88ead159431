FROM node:22-slim
# A notice text rarely changes: the install below is not re-run by
# source edits.
COPY NOTICE.txt /usr/share/doc/app/NOTICE.txt
RUN npm install -g pm2@5.4.2 && npm cache clean --force
USER node
CMD ["pm2-runtime", "server.js"]
