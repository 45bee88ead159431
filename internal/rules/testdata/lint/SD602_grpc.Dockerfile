FROM golang:1.23 AS build
WORKDIR /src
# want "SD202: COPY copies the whole build context before the install on line 6"
COPY . .
# want "SD701: go re-runs whenever the files copied on line 4 change"
RUN CGO_ENABLED=0 go build -o /out/server ./cmd/server \
 && CGO_ENABLED=0 go install github.com/grpc-ecosystem/grpc-health-probe@v0.4.28

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/server /server
COPY --from=build /go/bin/grpc-health-probe /bin/grpc_health_probe
ARG PORT=7070
# A gRPC server with grpc_health_probe in the image: the exec-form probe.
# want `SD602: the image serves port 7070 \(GRPC\).*HEALTHCHECK CMD \["/bin/grpc_health_probe", "-addr=localhost:7070"\]`
EXPOSE ${PORT}
ENTRYPOINT ["/server"]
