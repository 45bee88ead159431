FROM registry.access.redhat.com/ubi9/ubi:9.4 AS build
RUN yum install -y tzdata-2024a && echo built > /out
FROM registry.access.redhat.com/ubi9/ubi:9.4
COPY --from=build /out /out
RUN yum install -y httpd-2.4.57 && yum clean all
WORKDIR /
RUN yum install -y tzdata-2024a && rm -rf /var/cache/yum /var/cache/dnf
WORKDIR /srv
RUN --mount=type=cache,target=/var/cache/dnf yum install -y jq-1.6
USER nobody
CMD ["true"]
