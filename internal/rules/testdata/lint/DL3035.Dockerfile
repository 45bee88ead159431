FROM opensuse/leap:15.6
# want "DL3035"
RUN zypper dist-upgrade -y && zypper clean
WORKDIR /
# want "DL3035"
RUN zypper -n dup && zypper clean
# want "DL3035"
ONBUILD RUN zypper dup -y
USER nobody
CMD ["true"]
