FROM alpine:3.21
RUN --mount type=cache,target=/c true
