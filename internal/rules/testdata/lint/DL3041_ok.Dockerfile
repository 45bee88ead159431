FROM registry.access.redhat.com/ubi9/ubi:9.4
RUN dnf install -y httpd-2.4.57 tzdata-2024a-1.el9 ./local.rpm @development && dnf group install -y "Development Tools" && dnf module install -y nodejs:18 && dnf clean all
USER nobody
CMD ["true"]
