# spec: DL3030 yum install -y; a RUN that is not a yum command
FROM registry.access.redhat.com/ubi9/ubi:9.4
RUN yum install -y httpd-2.4.24 && yum clean all
WORKDIR /
RUN bash -c `# not even a yum command`
ONBUILD RUN yum install -y httpd-2.4.24 && yum clean all
USER nobody
CMD ["true"]
