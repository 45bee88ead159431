# spec: DL3007 release tag, digest only, latest WITH a digest, tag with name: all fine
FROM debian:jessie AS a
FROM hub.docker.io/debian@sha256:4c1f0b9a2e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a291807f6e5d4c3b2a19080 AS b
FROM hub.docker.io/debian:latest@sha256:4c1f0b9a2e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a291807f6e5d4c3b2a19080 AS c
FROM debian:jessie AS builder
FROM debian:bookworm-slim
USER nobody
CMD ["true"]
