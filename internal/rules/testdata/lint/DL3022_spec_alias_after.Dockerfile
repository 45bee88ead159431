# spec: DL3022 COPY --from a stage defined only later in the file
FROM debian:bookworm-slim
WORKDIR /app
# want "DL3022" "DL1000"
COPY --from=build foo .
FROM node:20-slim AS build
RUN baz
USER nobody
CMD ["true"]
