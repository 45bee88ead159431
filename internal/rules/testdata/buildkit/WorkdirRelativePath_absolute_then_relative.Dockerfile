FROM alpine:3.21
WORKDIR /srv
WORKDIR site
