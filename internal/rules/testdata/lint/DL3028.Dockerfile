FROM ruby:3.3-slim
# want "DL3028: Pin versions in gem install"
RUN gem install rake && rm -rf /usr/local/bundle/cache
WORKDIR /app
# want "DL3028: Pin versions in gem install"
RUN gem install --install-dir /opt/gems --source https://rubygems.example bundler:2.5.6 rack && rm -rf /usr/local/bundle/cache
# want "DL3028: ONBUILD Pin versions in gem install"
ONBUILD RUN gem i thor && rm -rf /usr/local/bundle/cache
USER nobody
CMD ["true"]
