FROM alpine:3.21 AS base
WORKDIR /srv

FROM base
WORKDIR www

FROM alpine:3.21
WORKDIR www
