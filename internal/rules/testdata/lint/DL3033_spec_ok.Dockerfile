# spec: DL3033 name-version, epoch, dashed names, + in names, variables as version; module:stream; non-yum RUN
FROM registry.access.redhat.com/ubi9/ubi:9.4
RUN yum install -y nginx-9.2 && yum clean all
WORKDIR /
RUN bash -c `# not even a yum command`
WORKDIR /
RUN yum install -y openssl-1:1.1.1k && yum clean all
WORKDIR /
RUN yum install -y rpm-sign-4.16.1.3 && yum clean all
WORKDIR /
RUN yum install -y libx-c++-1.1.1 && yum clean all
WORKDIR /
RUN yum module install -y nginx:9 && yum clean all
WORKDIR /
RUN yum install -y "git-core-${GIT_VER}" && yum clean all
WORKDIR /
RUN yum install -y "which-${WHICH_VERSION}" && yum clean all
WORKDIR /
RUN yum install -y "rpm-sign-${VERSION}" && yum clean all
WORKDIR /
RUN yum install -y nginx-$VERSION && yum clean all
ONBUILD RUN yum install -y "git-core-${GIT_VER}" && yum clean all
ONBUILD RUN yum module install -y nginx:9 && yum clean all
USER nobody
CMD ["true"]
