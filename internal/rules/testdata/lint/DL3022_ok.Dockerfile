ARG TOOLS=build
FROM golang:1.23 AS build
RUN go version > /out

FROM alpine:3.20 AS final
COPY --from=build /out /a
COPY --from=BUILD /out /b
COPY --from=0 /out /c
# BuildKit refuses a variable in --from.
# want "DL1000: variable expansion is not supported for --from"
COPY --from=${TOOLS} /out /d
COPY --from=nginx:1.27 /etc/nginx/nginx.conf /e
COPY --from=ghcr.io/example/tools /bin/tool /f
COPY --from=busybox@sha256:2e7ae8d5e7b6e5b6f3c3b0e0c4f7d6a1b2c3d4e5f60718293a4b5c6d7e8f9012 /bin/busybox /g
# ONBUILD --from names stages of the downstream build.
ONBUILD COPY --from=assets /dist /h
USER nobody
CMD ["true"]
