FROM alpine:3.21 AS unused
BOGUS x
FROM alpine:3.21
RUN true
