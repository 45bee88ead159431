# check=skip=all
FROM alpine:3.20 as Builder
ENV A 1
EXPOSE 80/TCP
