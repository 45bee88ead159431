# check=bogus=1
FROM alpine:3.21
MAINTAINER x
