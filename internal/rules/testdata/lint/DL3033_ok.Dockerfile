FROM registry.access.redhat.com/ubi9/ubi:9.4
RUN yum install -y httpd-2.4.57 tzdata-2024a-1.el9 ./local.rpm @development && yum groupinstall -y "Development Tools" && yum module install -y nodejs:18 && yum clean all
USER nobody
CMD ["true"]
