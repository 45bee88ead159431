# spec: DL3034 zypper install without -n/--non-interactive/-y/--no-confirm
FROM opensuse/leap:15.6
# want "DL3034"
RUN zypper install httpd=2.4.24 && zypper clean
# want "DL3034"
ONBUILD RUN zypper install httpd=2.4.24 && zypper clean
USER nobody
CMD ["true"]
