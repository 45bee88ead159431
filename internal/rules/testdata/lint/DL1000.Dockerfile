FROM golang:1.23 AS build
RUN go build -o /out/app ./...

FROM alpine:3.21
# BuildKit stops at the first error; the others are counted.
# want `DL1000: missing a value on flag: --from \(BuildKit stops here; 6 more errors after it, on line 8, 9, 10, 11, 12, \.\.\.\)`
COPY --from build /out/app /usr/local/bin/
COPPY config.yaml /etc/app/
COPY --chwon=app:app data /data
STOPSIGNAL SIGNOPE
VOLUME ""
{{ if .Debug }}
RUN echo debug
{{ end }}
USER nobody
CMD ["/app"]
