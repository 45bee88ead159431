# spec: DL3040 dnf clean all / microdnf clean all after the install, rm -rf /var/cache/yum/*, notdnf
FROM registry.access.redhat.com/ubi9/ubi:9.4
RUN dnf install -y postgresql-10.4 && dnf clean all
WORKDIR /
RUN microdnf install -y postgresql-10.4 && microdnf clean all
WORKDIR /
RUN notdnf install postgresql
WORKDIR /
RUN dnf install -y postgresql-10.4 && rm -rf /var/cache/yum/*
WORKDIR /
RUN microdnf install -y postgresql-10.4 && rm -rf /var/cache/yum/*
ONBUILD RUN dnf install -y postgresql-10.4 && dnf clean all
ONBUILD RUN microdnf install -y postgresql-10.4 && microdnf clean all
ONBUILD RUN notdnf install postgresql
ONBUILD RUN dnf install -y postgresql-10.4 && rm -rf /var/cache/yum/*
ONBUILD RUN microdnf install -y postgresql-10.4 && rm -rf /var/cache/yum/*
USER nobody
CMD ["true"]
