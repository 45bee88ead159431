# spec: DL3028 name:version, -v, --version (with or without =) pin the gems
FROM ruby:3.3-slim
RUN --mount=type=cache,target=/usr/local/bundle/cache gem i rake:1
WORKDIR /
RUN --mount=type=cache,target=/usr/local/bundle/cache gem i rack:3 puma:6
WORKDIR /
RUN --mount=type=cache,target=/usr/local/bundle/cache gem install rake:1
WORKDIR /
RUN --mount=type=cache,target=/usr/local/bundle/cache gem install rake -v '13.2.1'
WORKDIR /
RUN --mount=type=cache,target=/usr/local/bundle/cache gem install rake --version '13.2.1'
WORKDIR /
RUN --mount=type=cache,target=/usr/local/bundle/cache gem install rake --version='13.2.1'
ONBUILD RUN --mount=type=cache,target=/usr/local/bundle/cache gem install rake -v '13.2.1'
USER nobody
CMD ["true"]
