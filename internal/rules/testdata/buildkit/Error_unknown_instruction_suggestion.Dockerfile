FROM alpine:3.21
COPPY a /a
