# spec: DL3028 build options after the gem (after --, or not; with = or with a separate value) are not gem names
FROM ruby:3.3-slim
RUN --mount=type=cache,target=/usr/local/bundle/cache gem install rake:13.2.1 -- --use-system-libraries=true
WORKDIR /
RUN --mount=type=cache,target=/usr/local/bundle/cache gem install rake:13.2.1 -- --use-system-libraries true
WORKDIR /
RUN --mount=type=cache,target=/usr/local/bundle/cache gem install rake:13.2.1 --use-system-libraries true
WORKDIR /
RUN --mount=type=cache,target=/usr/local/bundle/cache gem install rake:13.2.1 --use-system-libraries=true
ONBUILD RUN --mount=type=cache,target=/usr/local/bundle/cache gem install rake:13.2.1 -- --use-system-libraries true
USER nobody
CMD ["true"]
