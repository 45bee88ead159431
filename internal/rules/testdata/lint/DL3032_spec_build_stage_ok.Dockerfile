# spec: DL3032 has no stage logic in hadolint: a build stage only read by COPY --from is reported too
# deviation: strata leaves out build stages nothing ships from: their cache never reaches an
# image (strata explain DL3032)
FROM registry.access.redhat.com/ubi9/ubi:9.4 AS build
RUN yum install -y postgresql-10.4
FROM debian:bookworm-slim
COPY --from=build /etc/hostname /tmp/x
USER nobody
CMD ["true"]
