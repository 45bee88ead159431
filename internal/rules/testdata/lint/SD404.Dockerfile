# A single-stage Go build ships the toolchain, the sources and the caches.
# want `SD101: the final image is built on golang:1\.23`
FROM golang:1.23
WORKDIR /src
COPY main.go .
# want "SD404: go build compiles in the final image" "SD401: RUN leaves the Go build cache" "SD701: go re-runs whenever the files copied on line 5 change and downloads everything again"
RUN CGO_ENABLED=0 go build -o /usr/local/bin/app .
USER nobody
CMD ["true"]
