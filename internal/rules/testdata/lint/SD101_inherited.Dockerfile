# The final stage inherits its base from an earlier stage.
# want "SD101"
FROM node:22-bookworm AS base
WORKDIR /app

FROM base
USER node
CMD ["true"]
