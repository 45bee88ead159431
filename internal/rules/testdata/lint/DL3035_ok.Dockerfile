FROM opensuse/leap:15.6
RUN zypper -n update && zypper -n patch && echo dist-upgrade && zypper clean
USER nobody
CMD ["true"]
