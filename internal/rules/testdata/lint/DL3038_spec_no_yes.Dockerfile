# spec: DL3038 dnf / microdnf install without -y
FROM registry.access.redhat.com/ubi9/ubi:9.4
# want "DL3038"
RUN dnf install httpd-2.4.24 && dnf clean all
WORKDIR /
# want "DL3038"
RUN microdnf install httpd-2.4.24 && microdnf clean all
# want "DL3038"
ONBUILD RUN dnf install httpd-2.4.24 && dnf clean all
# want "DL3038"
ONBUILD RUN microdnf install httpd-2.4.24 && microdnf clean all
USER nobody
CMD ["true"]
