FROM opensuse/leap:15.6
# want "DL3034: Non-interactive switch missing from zypper command"
RUN zypper install httpd=2.4.51 && zypper clean
WORKDIR /
# want "DL3034: Non-interactive switch missing from zypper command"
RUN zypper remove vim-small && zypper clean
# want "DL3034: ONBUILD Non-interactive switch missing from zypper command"
ONBUILD RUN zypper in timezone=2024a && zypper clean
USER nobody
CMD ["true"]
