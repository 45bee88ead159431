# spec: DL3067 COPY --from another stage of / to / (quoted or not)
FROM debian:bookworm-slim AS build
RUN echo built
FROM debian:bookworm-slim
# want "DL3067"
COPY --from=build / /
# want "DL3067"
COPY --from=build "/" "/"
USER nobody
CMD ["true"]
