FROM alpine:3.21
RUN true
FROM alpine:3.21
COPY --from=7 /x /x
