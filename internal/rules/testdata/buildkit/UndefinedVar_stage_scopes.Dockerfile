FROM alpine:3.21 AS build
ARG BUILD_MODE=release
ENV OUT_DIR=/out
RUN echo "$BUILD_MODE"

FROM build AS test
ENV MODE=$BUILD_MODE
ENV RESULTS=$OUT_DIR/results

FROM alpine:3.21
ENV MODE=$BUILD_MODE
COPY --from=build $OUT_DIR /app
