FROM alpine:3.21
RUN
