FROM alpine:3.21 as build
ENV A 1
WORKDIR rel
CMD echo x
