# spec: DL3037 zypper install of a bare name
FROM opensuse/leap:15.6
# want "DL3037"
RUN zypper install -y nginx && zypper clean
# want "DL3037"
ONBUILD RUN zypper install -y nginx && zypper clean
USER nobody
CMD ["true"]
