# enable: InvalidDefinitionDescription
# want "InvalidDefinitionDescription: Comment for FROM should follow the format"
FROM alpine:3.20 AS base
# want "InvalidDefinitionDescription: Comment for ARG should follow the format"
# the version to install
ARG VERSION=1
# want "InvalidDefinitionDescription: Comment for ARG should follow the format"
# A blank line does not end the comment block for BuildKit.

ARG OTHER=1 MORE=2
