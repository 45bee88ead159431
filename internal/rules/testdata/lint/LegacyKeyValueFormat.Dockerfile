FROM alpine:3.20
# want `LegacyKeyValueFormat: "ENV key=value" should be used instead of legacy "ENV key value" format`
ENV APP_HOME /srv/app
# want `LegacyKeyValueFormat: "LABEL key=value" should be used instead of legacy "LABEL key value" format`
LABEL org.opencontainers.image.title strata demo
