FROM ruby:3.3-slim-bookworm
WORKDIR /app

# Compiler and headers for the pg gem, removed once it is built.
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential=12.9 libpq-dev=15.10-0+deb12u1 \
 && rm -rf /var/lib/apt/lists/*
RUN gem install pg -v 1.5.9
RUN apt-get purge -y --auto-remove build-essential libpq-dev

COPY Gemfile Gemfile.lock ./
RUN bundle config set --local without 'development test' \
 && bundle install --jobs 4
COPY . .
# Drop the downloaded .gem files (too late here: the layer above has them).
RUN rm -rf /usr/local/bundle/cache/* \
 && chmod -R a-w /app

USER nobody
EXPOSE 3000
CMD ["bundle", "exec", "puma", "-p", "3000"]
