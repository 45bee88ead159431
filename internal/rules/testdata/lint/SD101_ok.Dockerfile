FROM golang:1.23 AS build
RUN go version > /out

FROM node:22 AS assets
RUN node --version > /node

FROM python:3.12-slim
COPY --from=build /out /out
COPY --from=assets /node /node
USER nobody
CMD ["true"]
