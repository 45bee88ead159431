FROM alpine:3.21
ENV LEGACY value
ENV MODERN=value
LABEL legacy value
