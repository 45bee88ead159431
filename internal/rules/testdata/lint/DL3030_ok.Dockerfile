FROM registry.access.redhat.com/ubi9/ubi:9.4
RUN yum install -y httpd-2.4.57 && yum --assumeyes install tzdata-2024a && yum -y groupinstall "Development Tools" && yum clean all
USER nobody
CMD ["true"]
