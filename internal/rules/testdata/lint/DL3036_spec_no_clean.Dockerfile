# spec: DL3036 zypper install without zypper clean / cc
FROM opensuse/leap:15.6
# want "DL3036"
RUN zypper install -y postgresql=10.4
# want "DL3036"
ONBUILD RUN zypper install -y postgresql=10.4
USER nobody
CMD ["true"]
