FROM opensuse/leap:15.6
# want "DL3034"
RUN zypper install httpd=2.4.51 && zypper clean
WORKDIR /
# want "DL3034"
RUN zypper remove vim-small && zypper clean
# want "DL3034"
ONBUILD RUN zypper in timezone=2024a && zypper clean
USER nobody
CMD ["true"]
