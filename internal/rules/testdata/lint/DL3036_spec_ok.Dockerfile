# spec: DL3036 zypper clean or zypper cc in the same RUN
FROM opensuse/leap:15.6
RUN zypper install -y postgresql=10.4 && zypper clean
WORKDIR /
RUN zypper install -y postgresql=10.4 && zypper cc
ONBUILD RUN zypper install -y postgresql=10.4 && zypper cc
USER nobody
CMD ["true"]
