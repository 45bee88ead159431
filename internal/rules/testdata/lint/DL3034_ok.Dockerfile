FROM opensuse/leap:15.6
RUN zypper install -y httpd=2.4.51 && zypper -n install timezone=2024a && zypper --non-interactive rm vim-small && zypper in --no-confirm jq=1.6 && zypper clean
USER nobody
CMD ["true"]
