# The final stage inherits its base from an earlier stage.
# want `SD101: the final image is built on node:22-bookworm, the full Node\.js image with compilers`
FROM node:22-bookworm AS base
WORKDIR /app

FROM base
USER node
CMD ["true"]
