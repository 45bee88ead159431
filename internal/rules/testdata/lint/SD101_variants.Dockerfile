# Variants after the version (alpine3.19) and a digest after the tag:
# already the small images.
FROM node:20.11-alpine3.19 AS web
WORKDIR /web
COPY package.json package-lock.json ./
# want "SD701: npm re-runs whenever the files copied on line 5 change"
RUN npm ci --omit=dev && npm cache clean --force

FROM python:3.12-alpine3.20@sha256:0f1f8bd6b9ab3bb14d5e3cd5ab6fa0ad1b53ec3a2d0e1d0a3f8d1f2b4ad1bd9c
COPY --from=web /web /web
USER nobody
CMD ["python3", "-m", "http.server", "-d", "/web"]
