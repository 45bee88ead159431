FROM opensuse/leap:15.6 AS base
# want "DL3036: zypper clean missing after zypper use"
RUN zypper install -y httpd=2.4.51
FROM base
# want "DL3036: zypper clean missing after zypper use"
RUN zypper clean && zypper in -y timezone=2024a
# want "DL3036: ONBUILD zypper clean missing after zypper use"
ONBUILD RUN zypper install -y jq=1.6
USER nobody
CMD ["true"]
