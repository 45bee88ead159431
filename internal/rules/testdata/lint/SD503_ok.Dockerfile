FROM golang:1.23 AS build
WORKDIR /src
COPY main.go .
# want "SD701: go re-runs whenever the files copied on line 3 change and downloads everything again"
RUN CGO_ENABLED=0 go build -o /out/app .

FROM alpine:3.20 AS shell-needed
COPY --from=build /out/app /usr/local/bin/app
USER nobody
# The shell-form health check needs the shell.
HEALTHCHECK CMD /usr/local/bin/app -health || exit 1
ENTRYPOINT ["/usr/local/bin/app"]

# Distroless already: nothing to suggest.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
