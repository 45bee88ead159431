FROM alpine:3.21 AS dup
FROM alpine:3.21 AS dup
FROM alpine:3.21
COPY --from=dup /etc/os-release /x
COPY --from=DUP /etc/os-release /y
