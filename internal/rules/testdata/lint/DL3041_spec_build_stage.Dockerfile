# spec: DL3041 has no stage logic: reported in a build stage too
FROM registry.access.redhat.com/ubi9/ubi:9.4 AS build
# want "DL3041"
RUN dnf install -y nginx && dnf clean all
FROM debian:bookworm-slim
COPY --from=build /etc/hostname /tmp/x
USER nobody
CMD ["true"]
