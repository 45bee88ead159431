# spec: DL3038 -y present; notdnf is not dnf
FROM registry.access.redhat.com/ubi9/ubi:9.4
RUN dnf install -y httpd-2.4.24 && dnf clean all
WORKDIR /
RUN microdnf install -y httpd-2.4.24 && microdnf clean all
WORKDIR /
RUN notdnf install httpd
ONBUILD RUN microdnf install -y httpd-2.4.24 && microdnf clean all
USER nobody
CMD ["true"]
