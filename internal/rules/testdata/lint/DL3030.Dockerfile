FROM registry.access.redhat.com/ubi9/ubi:9.4
# want "DL3030: Use the -y switch to avoid manual input"
RUN yum install httpd-2.4.57 && yum clean all
WORKDIR /
# want "DL3030: Use the -y switch to avoid manual input"
RUN yum --enablerepo=extras groupinstall "Development Tools" && yum clean all
# want "DL3030: ONBUILD Use the -y switch to avoid manual input"
ONBUILD RUN yum install tzdata-2024a && yum clean all
USER nobody
CMD ["true"]
