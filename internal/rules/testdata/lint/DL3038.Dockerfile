FROM registry.access.redhat.com/ubi9/ubi:9.4
# want "DL3038: Use the -y switch to avoid manual input"
RUN dnf install httpd-2.4.57 && dnf clean all
WORKDIR /
# want "DL3038: Use the -y switch to avoid manual input"
RUN dnf --setopt=install_weak_deps=False groupinstall "Development Tools" && dnf clean all
# want "DL3038: ONBUILD Use the -y switch to avoid manual input"
ONBUILD RUN dnf install tzdata-2024a && dnf clean all
USER nobody
CMD ["true"]
