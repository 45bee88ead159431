# spec: DL3006 untagged image, with and without a stage name
# want "DL3006"
FROM debian
RUN true
# want "DL3006"
FROM debian AS builder
FROM debian:bookworm-slim
USER nobody
CMD ["true"]
