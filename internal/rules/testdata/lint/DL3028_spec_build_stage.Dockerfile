# spec: DL3028 has no stage logic: reported in a build stage too
FROM ruby:3.3-slim AS build
# want "DL3028"
RUN --mount=type=cache,target=/usr/local/bundle/cache gem install rake
FROM debian:bookworm-slim
COPY --from=build /etc/hostname /tmp/x
USER nobody
CMD ["true"]
