# spec: DL3040 a clean that comes before the install does not count
FROM registry.access.redhat.com/ubi9/ubi:9.4
# want "DL3040"
RUN microdnf clean all && dnf install -y postgresql-10.4
USER nobody
CMD ["true"]
