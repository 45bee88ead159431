FROM debian:bookworm-slim AS build
# A builder stage may stay root.
USER root
RUN echo build > /out

FROM debian:bookworm-slim
COPY --from=build /out /out
USER app
# want "DL3002"
USER root
CMD ["cat", "/out"]
