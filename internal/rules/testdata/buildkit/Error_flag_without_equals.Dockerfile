FROM alpine:3.21
COPY --chown app:app a /a
