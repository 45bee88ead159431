FROM opensuse/leap:15.6 AS base
# want "DL3036"
RUN zypper install -y httpd=2.4.51
FROM base
# want "DL3036"
RUN zypper clean && zypper in -y timezone=2024a
# want "DL3036"
ONBUILD RUN zypper install -y jq=1.6
USER nobody
CMD ["true"]
