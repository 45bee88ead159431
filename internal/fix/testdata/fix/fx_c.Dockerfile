FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev && rm -rf /var/lib/apt/lists/*
COPY hello.c /src/
WORKDIR /src
RUN gcc -O2 -o /usr/local/bin/hello hello.c
CMD ["/usr/local/bin/hello", "40"]
