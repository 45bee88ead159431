FROM registry.access.redhat.com/ubi9/ubi:9.4 AS base
# want "DL3040"
RUN dnf install -y httpd-2.4.57
WORKDIR /
# want "DL3040"
RUN dnf clean all && dnf install -y tzdata-2024a
# want "DL3040"
ONBUILD RUN dnf install -y jq-1.6
FROM base
# want "DL3040"
RUN microdnf install -y gzip-1.12
USER nobody
CMD ["true"]
