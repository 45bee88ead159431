# A single-stage Go build ships the toolchain, the sources and the caches.
# want "SD101"
FROM golang:1.23
WORKDIR /src
COPY main.go .
# want "SD404" "SD401" "SD701"
RUN CGO_ENABLED=0 go build -o /usr/local/bin/app .
USER nobody
CMD ["true"]
