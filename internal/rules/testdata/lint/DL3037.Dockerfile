FROM opensuse/leap:15.6
# want "DL3037: Specify version with zypper install -y <package>=<version>"
RUN zypper install -y httpd && zypper clean
WORKDIR /
# Option values are not packages.
# want "DL3037: Specify version with zypper install -y <package>=<version>"
RUN zypper --non-interactive install --from repo-oss --repo extra timezone=2024a jq && zypper clean
# want "DL3037: ONBUILD Specify version with zypper install -y <package>=<version>"
ONBUILD RUN zypper in -y gzip && zypper clean
USER nobody
CMD ["true"]
