FROM node:22-slim
# want "DL3021: COPY with 2 sources"
COPY package.json package-lock.json /app
# want "DL3021: COPY with 2 sources"
COPY ["a.txt", "b.txt", "/data"]
# want "DL3021: ADD with 2 sources" "DL3020: ADD of local files"
ADD one.txt two.txt "/opt/dir"
# want "DL3021: COPY with 2 sources"
COPY <<EOF1 <<EOF2 /etc/app
a
EOF1
b
EOF2
# want "DL3021: ONBUILD COPY with 2 sources"
ONBUILD COPY x y /z
USER node
CMD ["node", "server.js"]
