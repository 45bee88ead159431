# A protobuf code generator image (no command of its own): the Go module
# cache its install fills is what `go tool` and `go generate` read when
# the image runs. No cache mount, no clean-up, no lighter base.
FROM golang:1.23-alpine
WORKDIR /build
RUN apk add --no-cache protobuf-dev=24.4-r1
COPY go.mod go.sum ./
RUN go install google.golang.org/protobuf/cmd/protoc-gen-go@v1.34.2
