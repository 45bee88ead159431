# spec: DL3026 "*" allows every registry; with no list at all the rule is silent
# enable: DL3026
# settings: trusted-registries=*
FROM ubuntu:18.04 AS builder1
FROM example.net/debian:12 AS builder2
FROM debian:bookworm-slim
USER nobody
CMD ["true"]
