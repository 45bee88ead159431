# spec: DL3024 two stages with the same name (reported on the second FROM)
FROM node:20-slim AS foo
RUN echo step
# want "DL3024"
FROM debian:bookworm-slim AS foo
RUN echo step
USER nobody
CMD ["true"]
