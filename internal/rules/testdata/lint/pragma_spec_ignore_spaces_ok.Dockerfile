# spec: spaces after the commas are allowed ("ignore=DL3023, DL3021")
# target: DL3023, DL3021
FROM node:20-slim AS foo
# want "DL3045"
# hadolint ignore=DL3023, DL3021
COPY --from=foo bar baz .
USER node
CMD ["true"]
