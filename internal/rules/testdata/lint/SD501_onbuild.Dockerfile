# ONBUILD triggers: an image to build FROM.
FROM node:22-slim
WORKDIR /app
ONBUILD COPY package.json package-lock.json ./
# want "SD701: ONBUILD npm re-runs whenever the files copied on line 4 change"
ONBUILD RUN npm ci --omit=dev && npm cache clean --force
CMD ["node"]
