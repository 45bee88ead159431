# spec: DL3026 image from a registry outside the allowed list (allowed: docker.io; also *.example.net case)
# enable: DL3026
# settings: trusted-registries=docker.io,*.example.net
# want "DL3026"
FROM example.net/debian:12
# want "DL3026"
FROM x.com/debian:12
FROM debian:bookworm-slim
USER nobody
CMD ["true"]
