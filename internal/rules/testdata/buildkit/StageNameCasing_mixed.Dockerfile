FROM alpine:3.21 AS Build
FROM alpine:3.21 AS release
COPY --from=Build /etc/os-release /x
