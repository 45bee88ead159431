# spec: DL3040 dnf install cleaned only by microdnf clean all still fires (each tool needs its own clean); plain RUN form
FROM registry.access.redhat.com/ubi9/ubi:9.4
# want "DL3040"
RUN dnf install -y postgresql-10.4 && microdnf clean all
USER nobody
CMD ["true"]
