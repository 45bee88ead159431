# check=skip=all
FROM alpine:3.21 as build
ENV A 1
