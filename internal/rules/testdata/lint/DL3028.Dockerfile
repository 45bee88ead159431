FROM ruby:3.3-slim
# want "DL3028"
RUN gem install rake && rm -rf /usr/local/bundle/cache
WORKDIR /app
# want "DL3028"
RUN gem install --install-dir /opt/gems --source https://rubygems.example bundler:2.5.6 rack && rm -rf /usr/local/bundle/cache
# want "DL3028"
ONBUILD RUN gem i thor && rm -rf /usr/local/bundle/cache
USER nobody
CMD ["true"]
