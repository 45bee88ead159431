# check=skip=FromAsCasing,LegacyKeyValueFormat
FROM alpine:3.21 as build
ENV A 1
MAINTAINER x
