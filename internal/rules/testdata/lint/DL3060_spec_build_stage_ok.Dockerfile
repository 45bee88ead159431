# spec: DL3060 stage logic: a build stage only read by COPY --from is not reported
FROM node:20-slim AS build
RUN yarn install
FROM debian:bookworm-slim
COPY --from=build /etc/hostname /tmp/x
USER nobody
CMD ["true"]
