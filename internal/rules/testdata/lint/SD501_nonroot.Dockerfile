FROM golang:1.23 AS build
WORKDIR /src
COPY main.go .
# want "SD701"
RUN CGO_ENABLED=0 go build -o /out/app .

# distroless :nonroot images already run as UID 65532.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
