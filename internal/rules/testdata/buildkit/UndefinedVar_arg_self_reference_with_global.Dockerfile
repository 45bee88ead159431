# Even with a global ARG of that name: globals are not in the stage until redeclared.
ARG CHANNEL=stable
FROM alpine:3.21
ARG CHANNEL=${CHANNEL}
RUN echo "$CHANNEL"
