# The USER of the stage the final one is built FROM counts; builder
# stages may stay root.
FROM debian:bookworm-slim AS build
RUN echo built > /out

FROM debian:bookworm-slim AS base
RUN useradd --system --uid 10001 app
USER 10001

FROM base
COPY --from=build /out /out
CMD ["cat", "/out"]
