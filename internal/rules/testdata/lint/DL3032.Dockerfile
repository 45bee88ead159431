FROM registry.access.redhat.com/ubi9/ubi:9.4 AS base
# want "DL3032: yum clean all missing after yum command"
RUN yum install -y httpd-2.4.57
FROM base
# The clean-up must come after the install.
# want "DL3032: yum clean all missing after yum command"
RUN yum clean all && yum install -y tzdata-2024a
# yum clean metadata leaves the packages.
# want "DL3032: yum clean all missing after yum command"
RUN yum install -y jq-1.6 && yum clean metadata
# want "DL3032: ONBUILD yum clean all missing after yum command"
ONBUILD RUN yum install -y gnupg2-2.3.3
USER nobody
CMD ["true"]
