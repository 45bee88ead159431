# enable: InvalidDefinitionDescription
# want "InvalidDefinitionDescription"
FROM alpine:3.20 AS base
# want "InvalidDefinitionDescription"
# the version to install
ARG VERSION=1
# want "InvalidDefinitionDescription"
# A blank line does not end the comment block for BuildKit.

ARG OTHER=1 MORE=2
