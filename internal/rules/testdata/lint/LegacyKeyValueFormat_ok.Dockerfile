FROM alpine:3.20
ENV APP_HOME=/srv/app
LABEL org.opencontainers.image.title="strata demo"
ARG A B
