# A code generator image with no command of its own: the module cache is
# what its users run go against.
FROM golang:1.23-alpine
WORKDIR /build
RUN go install google.golang.org/protobuf/cmd/protoc-gen-go@v1.34.2
