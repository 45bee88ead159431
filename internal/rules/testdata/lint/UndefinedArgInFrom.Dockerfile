ARG TAG=3.20
# want "UndefinedArgInFrom: FROM argument 'VARIANT' is not declared"
FROM alpine:3.20${VARIANT} AS base
# want "UndefinedArgInFrom: FROM argument 'BUILDPLATFROM' is not declared"
FROM --platform=$BUILDPLATFROM alpine:${TAG} AS build
