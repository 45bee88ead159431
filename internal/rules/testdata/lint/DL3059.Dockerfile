FROM debian:bookworm-slim
RUN echo one
# want "DL3059: RUN follows another RUN"
RUN echo two
WORKDIR /app
RUN echo three
RUN --mount=type=cache,target=/var/cache/apt echo four
# want "DL3059: RUN follows another RUN"
RUN --mount=type=cache,target=/var/cache/apt echo five
USER nobody
CMD ["true"]
