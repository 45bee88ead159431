FROM golang:1.23 AS build
RUN go build -o /out/app ./...

FROM alpine:3.21
# want "DL1000: missing a value on flag: --from"
COPY --from build /out/app /usr/local/bin/
# want `DL1000: unknown instruction: COPPY \(did you mean COPY\?\)`
COPPY config.yaml /etc/app/
# want "DL1000: unknown flag: --chwon"
COPY --chwon=app:app data /data
# want "DL1000: invalid signal: SIGNOPE"
STOPSIGNAL SIGNOPE
# want "DL1000: VOLUME specified can not be an empty string"
VOLUME ""
# want "DL1000: unknown instruction: \\{\\{ .*template syntax"
{{ if .Debug }}
RUN echo debug
# want "DL1000: unknown instruction"
{{ end }}
USER nobody
CMD ["/app"]
