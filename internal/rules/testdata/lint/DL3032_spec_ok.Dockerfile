# spec: DL3032 yum clean all, or rm -rf /var/cache/yum/*, in the same RUN; non-yum RUN
FROM registry.access.redhat.com/ubi9/ubi:9.4
RUN yum install -y postgresql-10.4 && yum clean all
WORKDIR /
RUN yum install -y postgresql-10.4 && rm -rf /var/cache/yum/*
WORKDIR /
RUN bash -c `# not even a yum command`
ONBUILD RUN yum install -y postgresql-10.4 && yum clean all
USER nobody
CMD ["true"]
