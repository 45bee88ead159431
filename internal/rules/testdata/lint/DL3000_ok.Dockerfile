FROM debian:bookworm-slim
ARG APP_HOME=/srv/app
WORKDIR /app
WORKDIR "/quoted/path"
WORKDIR $APP_HOME
WORKDIR ${APP_HOME}/data
ONBUILD WORKDIR /app/src
USER nobody
CMD ["true"]
