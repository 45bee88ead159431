FROM golang:1.23 AS build-api
FROM node:22-slim AS build-web
FROM alpine:3.20
USER nobody
CMD ["true"]
