# spec: DL3033 yum install of a name without a dash; yum module install without :stream
FROM registry.access.redhat.com/ubi9/ubi:9.4
# want "DL3033"
RUN yum install -y nginx && yum clean all
WORKDIR /
# want "DL3033"
RUN yum module install -y nginx && yum clean all
# want "DL3033"
ONBUILD RUN yum install -y nginx && yum clean all
# want "DL3033"
ONBUILD RUN yum module install -y nginx && yum clean all
USER nobody
CMD ["true"]
