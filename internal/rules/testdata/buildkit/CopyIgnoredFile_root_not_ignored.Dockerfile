FROM alpine:3.21
COPY . /src
COPY docs/ /docs
