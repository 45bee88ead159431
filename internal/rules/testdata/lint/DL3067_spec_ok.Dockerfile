# spec: DL3067 COPY / / without --from, a directory from another stage, / into a subdirectory
FROM debian:bookworm-slim AS build
RUN echo built
FROM debian:bookworm-slim
COPY / /
COPY --from=build /app /
COPY --from=build / /app
USER nobody
CMD ["true"]
