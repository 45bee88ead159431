# spec: DL3028 gem i / gem install of an unpinned gem, or one unpinned among pinned (also ONBUILD)
FROM ruby:3.3-slim
# want "DL3028"
RUN --mount=type=cache,target=/usr/local/bundle/cache gem i rake
WORKDIR /
# want "DL3028"
RUN --mount=type=cache,target=/usr/local/bundle/cache gem i rack:3 nokogiri
WORKDIR /
# want "DL3028"
RUN --mount=type=cache,target=/usr/local/bundle/cache gem install rake
# want "DL3028"
ONBUILD RUN --mount=type=cache,target=/usr/local/bundle/cache gem install rake
# want "DL3028"
ONBUILD RUN --mount=type=cache,target=/usr/local/bundle/cache gem i rack:3 nokogiri
USER nobody
CMD ["true"]
