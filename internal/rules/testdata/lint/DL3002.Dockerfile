FROM debian:bookworm-slim AS build
# A builder stage may stay root.
USER root
RUN echo build > /out

FROM debian:bookworm-slim
COPY --from=build /out /out
USER app
# want "DL3002: last USER of the final stage is root"
USER root
CMD ["cat", "/out"]
