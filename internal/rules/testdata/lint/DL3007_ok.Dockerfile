FROM node:22-slim AS web
FROM alpine:latest@sha256:2e7ae8d5e7b6e5b6f3c3b0e0c4f7d6a1b2c3d4e5f60718293a4b5c6d7e8f9012
USER nobody
CMD ["true"]
