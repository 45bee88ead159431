# spec: DL3024 unique stage names
FROM debian:bookworm-slim AS build
RUN foo
FROM node:20-slim AS run
RUN baz
USER nobody
CMD ["true"]
