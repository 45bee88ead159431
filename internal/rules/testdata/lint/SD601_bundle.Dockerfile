FROM ruby:3.3-alpine
WORKDIR /app
COPY Gemfile Gemfile.lock ./
# want "SD401: RUN leaves the downloaded .gem files"
RUN bundle install
COPY . .
USER nobody
# bundle exec execs ruby, which traps TERM and INT.
ENTRYPOINT ["bundle", "exec", "ruby", "server.rb"]
