# spec: DL3023 COPY --from the stage's own name
FROM node:20-slim AS foo
WORKDIR /app
# want "DL3023"
COPY --from=foo bar .
USER nobody
CMD ["true"]
