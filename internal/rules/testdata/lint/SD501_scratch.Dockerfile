FROM golang:1.23 AS build
WORKDIR /src
COPY main.go .
# want "SD701: go re-runs whenever the files copied on line 3 change and downloads everything again"
RUN CGO_ENABLED=0 go build -o /out/app .

FROM scratch
COPY --from=build /out/app /app
# want "SD501: the final image never sets USER, so app runs as root"
ENTRYPOINT ["/app"]
