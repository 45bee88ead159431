# spec: DL3016 has no stage logic: reported in a build stage too
FROM node:20-slim AS build
# want "DL3016"
RUN npm install express && npm cache clean --force
FROM debian:bookworm-slim
COPY --from=build /etc/hostname /tmp/x
USER nobody
CMD ["true"]
