# spec: DL3041 name-version, dashed name + version, + in names, epoch, variables as version, module:stream, notdnf
FROM registry.access.redhat.com/ubi9/ubi:9.4
RUN dnf install -y nginx-9.0.1 && dnf clean all
WORKDIR /
RUN microdnf install -y nginx-9.0.1 && microdnf clean all
WORKDIR /
RUN notdnf install openssl-1:1.1.1k
WORKDIR /
RUN notdnf install nginx
WORKDIR /
RUN dnf install -y rpm-sign-4.16.1.3 && dnf clean all
WORKDIR /
RUN microdnf install -y rpm-sign-4.16.1.3 && microdnf clean all
WORKDIR /
RUN dnf install -y libx-c++-1.1.1 && dnf clean all
WORKDIR /
RUN microdnf install -y libx-c++-1.1.1 && microdnf clean all
WORKDIR /
RUN dnf install -y openssl-1:1.1.1k && dnf clean all
WORKDIR /
RUN microdnf install -y openssl-1:1.1.1k && microdnf clean all
WORKDIR /
RUN dnf module install -y nginx:9 && dnf clean all
WORKDIR /
RUN microdnf module install -y nginx:9 && microdnf clean all
WORKDIR /
RUN notdnf module install nginx
WORKDIR /
RUN dnf install -y "git-core-${GIT_VER}" && dnf clean all
WORKDIR /
RUN dnf install -y "rpm-sign-${VERSION}" && dnf clean all
WORKDIR /
RUN dnf install -y nginx-$VERSION && dnf clean all
WORKDIR /
RUN microdnf install -y "git-core-${GIT_VER}" && microdnf clean all
ONBUILD RUN dnf install -y "git-core-${GIT_VER}" && dnf clean all
ONBUILD RUN microdnf install -y libx-c++-1.1.1 && microdnf clean all
ONBUILD RUN dnf module install -y nginx:9 && dnf clean all
USER nobody
CMD ["true"]
