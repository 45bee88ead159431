FROM alpine:3.21
COPY secrets.txt /x
