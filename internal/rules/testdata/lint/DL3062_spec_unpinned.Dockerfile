# spec: DL3062 go install/get/run of a module without @version or with @latest, also "go install tool" and "go get -tool"
FROM golang:1.23 AS build
# want "DL3062"
RUN --mount=type=cache,target=/root/.cache/go-build --mount=type=cache,target=/go/pkg/mod go install example.com/pkg
WORKDIR /
# want "DL3062"
RUN --mount=type=cache,target=/root/.cache/go-build --mount=type=cache,target=/go/pkg/mod go install example.com/pkg@latest
WORKDIR /
# want "DL3062"
RUN --mount=type=cache,target=/root/.cache/go-build --mount=type=cache,target=/go/pkg/mod go install tool widget
WORKDIR /
# want "DL3062"
RUN --mount=type=cache,target=/root/.cache/go-build --mount=type=cache,target=/go/pkg/mod go install tool widget@latest
WORKDIR /
# want "DL3062"
RUN --mount=type=cache,target=/root/.cache/go-build --mount=type=cache,target=/go/pkg/mod go get example.com/pkg
WORKDIR /
# want "DL3062"
RUN --mount=type=cache,target=/root/.cache/go-build --mount=type=cache,target=/go/pkg/mod go get example.com/pkg@latest
WORKDIR /
# want "DL3062"
RUN --mount=type=cache,target=/root/.cache/go-build --mount=type=cache,target=/go/pkg/mod go get -tool widget
WORKDIR /
# want "DL3062"
RUN --mount=type=cache,target=/root/.cache/go-build --mount=type=cache,target=/go/pkg/mod go get -tool widget@latest
WORKDIR /
# want "DL3062"
RUN --mount=type=cache,target=/root/.cache/go-build --mount=type=cache,target=/go/pkg/mod go run example.com/pkg
WORKDIR /
# want "DL3062"
RUN --mount=type=cache,target=/root/.cache/go-build --mount=type=cache,target=/go/pkg/mod go run example.com/pkg@latest
# want "DL3062"
ONBUILD RUN --mount=type=cache,target=/root/.cache/go-build --mount=type=cache,target=/go/pkg/mod go install example.com/pkg
FROM debian:bookworm-slim
USER nobody
CMD ["true"]
