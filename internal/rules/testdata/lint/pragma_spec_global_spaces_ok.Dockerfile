# hadolint global ignore = DL3023 , DL3021
# spec: global pragma with spaces around "=" and the commas
# target: DL3023, DL3021
FROM node:20-slim AS foo
# want "DL3045"
COPY --from=foo bar baz .
USER node
CMD ["true"]
