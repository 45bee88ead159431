ARG TAG=3.20
# want "UndefinedArgInFrom"
FROM alpine:3.20${VARIANT} AS base
# want "UndefinedArgInFrom"
FROM --platform=$BUILDPLATFROM alpine:${TAG} AS build
