# An ARG default that names the ARG itself reads nothing: the stage has no X yet.
FROM alpine:3.21
ARG RELEASE=${RELEASE}
RUN echo "$RELEASE"
