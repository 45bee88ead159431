FROM alpine:3.21
CMD echo first
SHELL ["/bin/sh", "-c"]
