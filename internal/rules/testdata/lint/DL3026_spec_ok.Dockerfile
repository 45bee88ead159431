# spec: DL3026 Docker Hub in all its spellings when docker.io is allowed; scratch; earlier stages; *.example.net wildcard
# enable: DL3026
# settings: trusted-registries=docker.io,*.example.net,example.net
FROM ubuntu:18.04 AS builder1
FROM jdoe/ubuntu:18.04 AS builder2
FROM docker.io/jdoe/ubuntu:18.04 AS builder3
FROM example.net/foo:1 AS builder4
FROM builder4 AS builder5
FROM foo.example.net/debian:12 AS builder6
FROM scratch
USER nobody
CMD ["true"]
