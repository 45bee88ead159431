# spec: DL3033 has no stage logic: reported in a build stage too
FROM registry.access.redhat.com/ubi9/ubi:9.4 AS build
# want "DL3033"
RUN yum install -y nginx && yum clean all
FROM debian:bookworm-slim
COPY --from=build /etc/hostname /tmp/x
USER nobody
CMD ["true"]
