ARG A=1
# comment
FROM alpine:3.21
