FROM alpine:3.21
cmd serve
Entrypoint start
