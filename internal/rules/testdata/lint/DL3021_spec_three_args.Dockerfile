# spec: DL3021 COPY with 3 arguments whose destination does not end in / (quoted or not)
FROM debian:bookworm-slim
WORKDIR /app
# want "DL3021"
COPY foo bar baz
# want "DL3021"
COPY foo bar "baz"
USER nobody
CMD ["true"]
