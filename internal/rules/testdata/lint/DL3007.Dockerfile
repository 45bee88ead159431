ARG TAG=latest
# want "DL3007: base image node:latest uses the latest tag"
FROM node:latest AS web
# want "DL3007: base image alpine:latest"
FROM alpine:${TAG}
USER nobody
CMD ["true"]
