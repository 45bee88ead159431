FROM ruby:3.3-slim
RUN gem install rake:13.2.1 && gem install bundler -v 2.5.6 && gem install --version=3.1.0 thor && gem install ./local.gem && rm -rf /usr/local/bundle/cache
USER nobody
CMD ["true"]
