FROM golang:1.22 AS build
# want "DL3062: Pin versions in go"
RUN go install golang.org/x/tools/gopls@latest
WORKDIR /src
# Option values are not packages.
# want "DL3062: Pin versions in go"
RUN go install -ldflags "-s -w" -tags netgo honnef.co/go/tools/cmd/staticcheck
ARG TOOL=github.com/go-delve/delve/cmd/dlv
# want "DL3062: Pin versions in go"
RUN go install ${TOOL}
# want "DL3062: ONBUILD Pin versions in go"
ONBUILD RUN go get github.com/pkg/errors && go clean -modcache
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /go/bin/gopls /gopls
USER nonroot
CMD ["/gopls"]
