FROM alpine:3.21
{{ if .Debug }}
RUN apk add gdb
{{ end }}
