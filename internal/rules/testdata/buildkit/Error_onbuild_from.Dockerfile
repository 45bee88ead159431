FROM alpine:3.21
ONBUILD FROM alpine:3.21
