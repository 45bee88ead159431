# enable: InvalidDefinitionDescription
#
# base is the runtime stage
FROM alpine:3.20 AS base
# VERSION is the version to install
ARG VERSION=1
# MORE is one of two arguments
ARG OTHER=1 MORE=2
ARG NOCOMMENT
#
ARG AFTER_EMPTY_COMMENT
FROM base
