# spec: DL3062 @version pins; local paths and "."; go run with program flags/arguments after the pinned module
FROM golang:1.23 AS build
RUN --mount=type=cache,target=/root/.cache/go-build --mount=type=cache,target=/go/pkg/mod go install example.com/pkg@v1.2.3
WORKDIR /
RUN --mount=type=cache,target=/root/.cache/go-build --mount=type=cache,target=/go/pkg/mod go install /go/app/widget
WORKDIR /
RUN --mount=type=cache,target=/root/.cache/go-build --mount=type=cache,target=/go/pkg/mod go install ./app/widget
WORKDIR /
RUN --mount=type=cache,target=/root/.cache/go-build --mount=type=cache,target=/go/pkg/mod go install .
WORKDIR /
RUN --mount=type=cache,target=/root/.cache/go-build --mount=type=cache,target=/go/pkg/mod go install tool widget@v1.2.3
WORKDIR /
RUN --mount=type=cache,target=/root/.cache/go-build --mount=type=cache,target=/go/pkg/mod go get example.com/pkg@v1.2.3
WORKDIR /
RUN --mount=type=cache,target=/root/.cache/go-build --mount=type=cache,target=/go/pkg/mod go get -tool widget@v1.2.3
WORKDIR /
RUN --mount=type=cache,target=/root/.cache/go-build --mount=type=cache,target=/go/pkg/mod go run example.com/pkg@v1.2.3
WORKDIR /
RUN --mount=type=cache,target=/root/.cache/go-build --mount=type=cache,target=/go/pkg/mod go run example.com/pkg@v1.2.3 -f
WORKDIR /
RUN --mount=type=cache,target=/root/.cache/go-build --mount=type=cache,target=/go/pkg/mod go run example.com/pkg@v1.2.3 -widget
WORKDIR /
RUN --mount=type=cache,target=/root/.cache/go-build --mount=type=cache,target=/go/pkg/mod go run example.com/pkg@v1.2.3 --widget
WORKDIR /
RUN --mount=type=cache,target=/root/.cache/go-build --mount=type=cache,target=/go/pkg/mod go run example.com/pkg@v1.2.3 widget
WORKDIR /
RUN --mount=type=cache,target=/root/.cache/go-build --mount=type=cache,target=/go/pkg/mod go run example.com/pkg@v1.2.3 --foo bar
WORKDIR /
RUN --mount=type=cache,target=/root/.cache/go-build --mount=type=cache,target=/go/pkg/mod go run /go/app/widget
WORKDIR /
RUN --mount=type=cache,target=/root/.cache/go-build --mount=type=cache,target=/go/pkg/mod go run ./app/widget
WORKDIR /
RUN --mount=type=cache,target=/root/.cache/go-build --mount=type=cache,target=/go/pkg/mod go run .
ONBUILD RUN --mount=type=cache,target=/root/.cache/go-build --mount=type=cache,target=/go/pkg/mod go install example.com/pkg@v1.2.3
FROM debian:bookworm-slim
USER nobody
CMD ["true"]
