FROM alpine:3.21
BOGUS something
RUN true
