LABEL early=1
FROM alpine:3.21
