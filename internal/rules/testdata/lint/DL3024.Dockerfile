FROM golang:1.23 AS build
# want "DL3024"
FROM node:22-slim AS build
# Stage names are compared without regard to case.
# want "DL3024" "StageNameCasing"
FROM alpine:3.20 AS BUILD
USER nobody
CMD ["true"]
