FROM alpine:3.21 AS Build
RUN true
FROM Build
