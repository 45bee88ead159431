# spec: DL3022 earlier stage name, an external image with a tag, an earlier stage index
FROM debian:bookworm-slim AS build
RUN foo
FROM node:20-slim
WORKDIR /app
COPY --from=build foo .
COPY --from=python:latest bar .
COPY --from=0 foo .
USER nobody
CMD ["true"]
