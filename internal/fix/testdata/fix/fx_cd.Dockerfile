FROM golang:1.22-bookworm AS build
WORKDIR /src
COPY . .
# Build the server without cgo.
RUN --mount=type=cache,target=/root/.cache/go-build cd cmd/server \
    && CGO_ENABLED=0 go build -o /out/server .
RUN cd /src && go vet ./...
RUN cd /tmp && ls

FROM debian:bookworm-slim
COPY --from=build /out/server /usr/local/bin/server
RUN cd /usr/local/bin && ln -s server srv
RUN (cd /var/lib && mkdir -p server) && make -C /opt
USER nobody
CMD ["server"]
