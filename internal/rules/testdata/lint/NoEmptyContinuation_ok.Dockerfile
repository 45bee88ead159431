FROM alpine:3.20
ENV A=1 \
# a comment line inside a continuation is fine
    B=2

ENV C=3
