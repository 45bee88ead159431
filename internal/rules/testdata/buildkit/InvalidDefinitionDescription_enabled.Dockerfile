# check=experimental=InvalidDefinitionDescription
# base image for the tests
FROM alpine:3.21 AS base
# wrong words here
ARG THING=1
# THING2 is described properly
ARG THING2=1
