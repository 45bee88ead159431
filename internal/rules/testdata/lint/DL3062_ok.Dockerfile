FROM golang:1.22 AS build
WORKDIR /src
ARG GOPLS_VERSION=v0.15.3
RUN go install golang.org/x/tools/gopls@${GOPLS_VERSION} && go install honnef.co/go/tools/cmd/staticcheck@2023.1.7 \
 && go install ./cmd/... && go install . && go run ./tools/gen.go unpinned/arg && go get -d ./... && go mod download
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /go/bin/gopls /gopls
USER nonroot
CMD ["/gopls"]
