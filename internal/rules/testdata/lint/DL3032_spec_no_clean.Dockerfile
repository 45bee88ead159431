# spec: DL3032 yum install without yum clean all
FROM registry.access.redhat.com/ubi9/ubi:9.4
# want "DL3032"
RUN yum install -y postgresql-10.4
# want "DL3032"
ONBUILD RUN yum install -y postgresql-10.4
USER nobody
CMD ["true"]
