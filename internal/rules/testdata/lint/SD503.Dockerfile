FROM golang:1.23 AS build
WORKDIR /src
COPY main.go .
# want "SD701: go re-runs whenever the files copied on line 3 change and downloads everything again"
RUN CGO_ENABLED=0 go build -o /out/app .

# A static binary started in exec form needs no shell or apk.
# want "SD503: the final image runs /usr/local/bin/app, a binary copied from stage build"
FROM alpine:3.20
RUN adduser -S -u 10001 app
COPY --from=build /out/app /usr/local/bin/app
USER 10001
ENTRYPOINT ["/usr/local/bin/app"]
