# spec: DL3021 two arguments, or a destination ending in / (quoted or not)
FROM debian:bookworm-slim
WORKDIR /app
COPY foo bar
COPY foo bar baz/
COPY foo bar "baz/"
USER nobody
CMD ["true"]
