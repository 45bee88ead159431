# spec: DL3035 zypper dist-upgrade / dup
FROM opensuse/leap:15.6
# want "DL3035"
RUN zypper -n dist-upgrade && zypper clean
WORKDIR /
# want "DL3035"
RUN zypper -n dup && zypper clean
# want "DL3035"
ONBUILD RUN zypper -n dist-upgrade && zypper clean
# want "DL3035"
ONBUILD RUN zypper -n dup && zypper clean
USER nobody
CMD ["true"]
