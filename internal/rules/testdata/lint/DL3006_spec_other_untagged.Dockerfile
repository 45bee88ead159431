# spec: DL3006 an untagged image that is not a previous stage fires in a multi-stage file
FROM golang:1.9.3-alpine3.7 AS build
RUN foo
# want "DL3006"
FROM node AS unit-test
RUN bar
FROM alpine:3.7
USER nobody
CMD ["true"]
