FROM golang:1.23 AS build
# GOPATH comes from the base image, whose ENV strata cannot read.
WORKDIR $GOPATH/src/app
WORKDIR ${APP_ROOT:-/app}

FROM debian:bookworm-slim AS base
WORKDIR /srv
# After an absolute WORKDIR BuildKit's check is silent (hadolint's DL3000
# is not).
# want "DL3000: WORKDIR site is relative"
WORKDIR site

FROM base
# The chain already has an absolute WORKDIR.
# want "DL3000: WORKDIR www is relative"
WORKDIR www
USER nobody
CMD ["true"]
