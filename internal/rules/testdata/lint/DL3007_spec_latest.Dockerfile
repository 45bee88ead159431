# spec: DL3007 explicit latest tag, with and without a stage name
# want "DL3007"
FROM debian:latest AS a
RUN true
# want "DL3007"
FROM debian:latest AS builder
FROM debian:bookworm-slim
USER nobody
CMD ["true"]
