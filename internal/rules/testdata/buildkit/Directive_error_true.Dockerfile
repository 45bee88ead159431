# check=error=true
FROM alpine:3.21
MAINTAINER x
