# spec: DL3022 COPY --from a name no earlier FROM defines (not an image reference with a tag)
FROM debian:bookworm-slim
WORKDIR /app
# want "DL3022"
COPY --from=foo bar .
USER nobody
CMD ["true"]
