# spec: DL3041 dnf/microdnf install of a bare name or a dashed name with no version part; module install without :stream
FROM registry.access.redhat.com/ubi9/ubi:9.4
# want "DL3041"
RUN dnf install -y nginx && dnf clean all
WORKDIR /
# want "DL3041"
RUN microdnf install -y nginx && microdnf clean all
WORKDIR /
# want "DL3041"
RUN dnf install -y rpm-sign && dnf clean all
WORKDIR /
# want "DL3041"
RUN microdnf install -y rpm-sign && microdnf clean all
WORKDIR /
# want "DL3041"
RUN dnf module install -y nginx && dnf clean all
WORKDIR /
# want "DL3041"
RUN microdnf module install -y nginx && microdnf clean all
# want "DL3041"
ONBUILD RUN dnf install -y nginx && dnf clean all
# want "DL3041"
ONBUILD RUN dnf install -y rpm-sign && dnf clean all
# want "DL3041"
ONBUILD RUN dnf module install -y nginx && dnf clean all
USER nobody
CMD ["true"]
