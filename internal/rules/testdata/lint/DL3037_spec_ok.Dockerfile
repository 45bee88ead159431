# spec: DL3037 =, >=, >, <=, < (escaped for the shell) and .rpm files
FROM opensuse/leap:15.6
RUN zypper install -y nginx=9.0.39 && zypper clean
WORKDIR /
RUN zypper install -y nginx\>=9.0 && zypper clean
WORKDIR /
RUN zypper install -y nginx\>9.0 && zypper clean
WORKDIR /
RUN zypper install -y nginx\<=9.0 && zypper clean
WORKDIR /
RUN zypper install -y nginx\<9.0 && zypper clean
WORKDIR /
RUN zypper install -y nginx-9.0.39-1.rpm && zypper clean
ONBUILD RUN zypper install -y nginx\>=9.0 && zypper clean
USER nobody
CMD ["true"]
