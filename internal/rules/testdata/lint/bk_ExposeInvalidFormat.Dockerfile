FROM alpine:3.20
# want "ExposeInvalidFormat"
EXPOSE 127.0.0.1:8080:80
# want "ExposeInvalidFormat"
EXPOSE 8080:80/tcp
