# spec: DL3006 digest, tag, variable, scratch and a previous stage name need no tag
ARG VALUE=debian:bookworm-slim
FROM ruby@sha256:4c1f0b9a2e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a291807f6e5d4c3b2a19080 AS a
FROM ruby:2 AS b
FROM ${VALUE} AS c
FROM scratch AS d
FROM golang:1.9.3-alpine3.7 AS build
RUN foo
FROM build AS unit-test
RUN bar
FROM alpine:3.7
USER nobody
CMD ["true"]
