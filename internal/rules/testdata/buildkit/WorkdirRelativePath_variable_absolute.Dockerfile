FROM alpine:3.21
ARG APP_DIR=/application
WORKDIR ${APP_DIR}
