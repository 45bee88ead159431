FROM alpine:3.20
# want "LegacyKeyValueFormat"
ENV APP_HOME /srv/app
# want "LegacyKeyValueFormat"
LABEL org.opencontainers.image.title strata demo
