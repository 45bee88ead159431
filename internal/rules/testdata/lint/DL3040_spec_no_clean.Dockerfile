# spec: DL3040 dnf/microdnf install without a clean of the same tool (microdnf clean all does not count for dnf)
FROM registry.access.redhat.com/ubi9/ubi:9.4
# want "DL3040"
RUN dnf install -y postgresql-10.4
WORKDIR /
# want "DL3040"
RUN microdnf install -y postgresql-10.4
# want "DL3040"
ONBUILD RUN dnf install -y postgresql-10.4
# want "DL3040"
ONBUILD RUN dnf install -y postgresql-10.4 && microdnf clean all
# want "DL3040"
ONBUILD RUN microdnf install -y postgresql-10.4
USER nobody
CMD ["true"]
