FROM opensuse/leap:15.6
RUN zypper install -y httpd=2.4.51 'jq>=1.6' 'gzip<2' ./local.rpm && zypper install -y -t pattern devel_basis && zypper clean
USER nobody
CMD ["true"]
