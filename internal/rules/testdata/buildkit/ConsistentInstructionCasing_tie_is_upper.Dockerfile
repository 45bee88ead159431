FROM alpine:3.21
run true
