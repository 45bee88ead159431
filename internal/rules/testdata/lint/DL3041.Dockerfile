FROM registry.access.redhat.com/ubi9/ubi:9.4
# want "DL3041: Specify version with dnf install -y <package>-<version>"
RUN dnf install -y httpd && dnf clean all
WORKDIR /
# want "DL3041: Specify version with dnf install -y <package>-<version>"
RUN dnf install -y --setopt=tsflags=nodocs --repo ubi-9-baseos tzdata-2024a && dnf module install -y nodejs && dnf clean all
# want "DL3041: ONBUILD Specify version with dnf install -y <package>-<version>"
ONBUILD RUN microdnf install -y jq && microdnf clean all
USER nobody
CMD ["true"]
