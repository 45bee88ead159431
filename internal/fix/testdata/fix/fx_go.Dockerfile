# A Go service built and shipped in one stage.
FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends golang-go ca-certificates && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN go build -o /usr/local/bin/api ./cmd/api
EXPOSE 8080
# the service
ENTRYPOINT ["api"]
