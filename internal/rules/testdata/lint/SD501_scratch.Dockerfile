FROM golang:1.23 AS build
WORKDIR /src
COPY main.go .
# want "SD701"
RUN CGO_ENABLED=0 go build -o /out/app .

FROM scratch
COPY --from=build /out/app /app
# want "SD501"
ENTRYPOINT ["/app"]
