# spec: DL3060 no clean in a stage no later FROM builds on: not reported
FROM node:20-slim AS foo
RUN yarn install foo
FROM debian:bookworm-slim
RUN hey
USER nobody
CMD ["true"]
