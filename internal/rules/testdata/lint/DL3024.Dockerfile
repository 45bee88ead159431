FROM golang:1.23 AS build
# want `DL3024: stage name "build" is already used on line 1`
FROM node:22-slim AS build
# Stage names are compared without regard to case.
# want `DL3024: stage name "BUILD" is already used on line 1` "StageNameCasing: Stage name 'BUILD' should be lowercase"
FROM alpine:3.20 AS BUILD
USER nobody
CMD ["true"]
