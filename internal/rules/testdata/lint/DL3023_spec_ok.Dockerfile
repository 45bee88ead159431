# spec: DL3023 COPY --from another stage is fine
FROM debian:bookworm-slim AS build
RUN foo
FROM node:20-slim AS run
WORKDIR /app
COPY --from=build foo .
RUN baz
USER nobody
CMD ["true"]
