FROM alpine:3.21
ENV ARGS="$1 $@ $$ $#"
