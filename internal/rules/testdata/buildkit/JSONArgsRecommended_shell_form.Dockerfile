FROM alpine:3.21
ENTRYPOINT /usr/local/bin/start
CMD serve --port 8080
