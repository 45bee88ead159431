FROM golang:1.23 AS build
WORKDIR /src
COPY main.go .
# want "SD701: go re-runs whenever the files copied on line 3 change and downloads everything again"
RUN CGO_ENABLED=0 go build -o /out/app .

# distroless :nonroot images already run as UID 65532.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
