FROM opensuse/leap:15.6
# want "DL3035: Do not use zypper dist-upgrade"
RUN zypper dist-upgrade -y && zypper clean
WORKDIR /
# want "DL3035: Do not use zypper dist-upgrade"
RUN zypper -n dup && zypper clean
# want "DL3035: ONBUILD Do not use zypper dist-upgrade"
ONBUILD RUN zypper dup -y
USER nobody
CMD ["true"]
