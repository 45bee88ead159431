FROM golang:1.23 AS build
RUN go version > /out
# want "DL3022"
COPY --from=buidl /out /a
# want "DL3022"
COPY --from=5 /out /b
# want "DL3022"
COPY --from=test /out /c

FROM alpine:3.20 AS test
# want "DL3022"
COPY --from=nginx /etc/nginx/nginx.conf /d
USER nobody
CMD ["true"]
