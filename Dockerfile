# strata's own image: one static binary on an empty base.
#
#   docker build -t strata .
#   docker run --rm -i strata lint - < Dockerfile
#   docker run --rm -v "$PWD:/work" -w /work strata lint Dockerfile
#
# The build stage compiles strata with the Go toolchain image; the image
# that ships holds the binary, CA certificates (for registries) and an
# unprivileged user, nothing else.

FROM golang:1.26-bookworm AS build
WORKDIR /src
# Modules first, in their own layer: a source change does not download
# them again.
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY cmd ./cmd
COPY internal ./internal
# grpcnotrace: grpc's net/trace debug pages execute html/template, whose
# method lookup by name keeps every exported method in the binary (6 MB).
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -trimpath -tags grpcnotrace -ldflags="-s -w" -o /out/usr/local/bin/strata ./cmd/strata \
    && mkdir -p /out/etc/ssl/certs \
    && cp /etc/ssl/certs/ca-certificates.crt /out/etc/ssl/certs/ \
    && echo 'strata:x:65532:65532:strata:/nonexistent:/sbin/nologin' > /out/etc/passwd \
    && echo 'strata:x:65532:' > /out/etc/group

FROM scratch
COPY --from=build /out/ /
USER 65532:65532
ENTRYPOINT ["strata"]
