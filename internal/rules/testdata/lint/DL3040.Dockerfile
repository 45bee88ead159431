FROM registry.access.redhat.com/ubi9/ubi:9.4 AS base
# want "DL3040: dnf clean all missing after dnf command"
RUN dnf install -y httpd-2.4.57
WORKDIR /
# want "DL3040: dnf clean all missing after dnf command"
RUN dnf clean all && dnf install -y tzdata-2024a
# want "DL3040: ONBUILD dnf clean all missing after dnf command"
ONBUILD RUN dnf install -y jq-1.6
FROM base
# want "DL3040: microdnf clean all missing after microdnf command"
RUN microdnf install -y gzip-1.12
USER nobody
CMD ["true"]
