# spec: DL3060 ONBUILD RUN yarn install without clean fires even in a stage that is not reused
FROM node:20-slim AS foo
# want "DL3060"
ONBUILD RUN yarn install foo
FROM debian:bookworm-slim
RUN hey
USER nobody
CMD ["true"]
