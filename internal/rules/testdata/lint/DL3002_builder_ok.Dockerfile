FROM debian:bookworm-slim AS build
USER root
RUN echo built > /out

FROM debian:bookworm-slim
COPY --from=build /out /out
USER 10001
CMD ["cat", "/out"]
