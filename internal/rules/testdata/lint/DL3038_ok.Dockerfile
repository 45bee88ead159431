FROM registry.access.redhat.com/ubi9/ubi:9.4
RUN dnf install -y httpd-2.4.57 && dnf --assumeyes install tzdata-2024a && dnf -y groupinstall "Development Tools" && dnf clean all
USER nobody
CMD ["true"]
