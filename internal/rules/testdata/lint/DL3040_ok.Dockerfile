FROM registry.access.redhat.com/ubi9/ubi:9.4 AS build
RUN dnf install -y tzdata-2024a && echo built > /out
FROM registry.access.redhat.com/ubi9/ubi-minimal:9.4
COPY --from=build /out /out
RUN microdnf install -y httpd-2.4.57 && microdnf clean all
WORKDIR /
RUN microdnf install -y tzdata-2024a && rm -rf /var/cache/yum
WORKDIR /srv
RUN --mount=type=cache,target=/var/cache/yum microdnf install -y jq-1.6
USER nobody
CMD ["true"]
