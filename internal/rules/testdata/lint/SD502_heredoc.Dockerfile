FROM alpine:3.20
# want "SD502: RUN contains a GitLab token"
RUN <<EOF
wget -q --header "PRIVATE-TOKEN: glpat-abcdefghij0123456789" -O /tmp/pkg.tgz https://gitlab.example.com/api/v4/projects/1/packages/generic/x/1/pkg.tgz
rm -f /tmp/pkg.tgz
EOF
USER nobody
CMD ["true"]
