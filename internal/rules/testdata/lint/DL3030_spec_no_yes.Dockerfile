# spec: DL3030 yum install without -y
FROM registry.access.redhat.com/ubi9/ubi:9.4
# want "DL3030"
RUN yum install httpd-2.4.24 && yum clean all
# want "DL3030"
ONBUILD RUN yum install httpd-2.4.24 && yum clean all
USER nobody
CMD ["true"]
