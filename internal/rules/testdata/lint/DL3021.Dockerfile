FROM node:22-slim
# want "DL3021"
COPY package.json package-lock.json /app
# want "DL3021"
COPY ["a.txt", "b.txt", "/data"]
# want "DL3021" "DL3020"
ADD one.txt two.txt "/opt/dir"
# want "DL3021"
COPY <<EOF1 <<EOF2 /etc/app
a
EOF1
b
EOF2
# want "DL3021"
ONBUILD COPY x y /z
USER node
# want "SD601"
CMD ["node", "server.js"]
