# spec: DL3034 -n, --non-interactive, -y, --no-confirm
FROM opensuse/leap:15.6
RUN zypper install -n httpd=2.4.24 && zypper clean
WORKDIR /
RUN zypper install --non-interactive httpd=2.4.24 && zypper clean
WORKDIR /
RUN zypper install -y httpd=2.4.24 && zypper clean
WORKDIR /
RUN zypper install --no-confirm httpd=2.4.24 && zypper clean
ONBUILD RUN zypper install -y httpd=2.4.24 && zypper clean
USER nobody
CMD ["true"]
