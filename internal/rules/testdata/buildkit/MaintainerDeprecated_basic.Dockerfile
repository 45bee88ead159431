FROM alpine:3.21
MAINTAINER Someone <someone@example.org>
