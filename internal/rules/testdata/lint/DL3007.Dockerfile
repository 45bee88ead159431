ARG TAG=latest
# want "DL3007"
FROM node:latest AS web
# want "DL3007"
FROM alpine:${TAG}
USER nobody
CMD ["true"]
