FROM golang:1.23 AS build
# GOPATH comes from the base image, whose ENV strata cannot read.
WORKDIR $GOPATH/src/app
WORKDIR ${APP_ROOT:-/app}

FROM debian:bookworm-slim AS base
WORKDIR /srv
# strata ignore=DL3000
WORKDIR site

FROM base
# The chain already has an absolute WORKDIR.
# strata ignore=DL3000
WORKDIR www
USER nobody
CMD ["true"]
