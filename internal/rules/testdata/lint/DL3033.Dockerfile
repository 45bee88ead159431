FROM registry.access.redhat.com/ubi9/ubi:9.4
# want "DL3033: Specify version with yum install -y <package>-<version>"
RUN yum install -y httpd && yum clean all
WORKDIR /
# Option values are not packages; a module needs a stream.
# want "DL3033: Specify version with yum install -y <package>-<version>"
RUN yum install -y --setopt=tsflags=nodocs --enablerepo extras tzdata-2024a && yum module install -y nodejs && yum clean all
# want "DL3033: ONBUILD Specify version with yum install -y <package>-<version>"
ONBUILD RUN yum install -y jq && yum clean all
USER nobody
CMD ["true"]
