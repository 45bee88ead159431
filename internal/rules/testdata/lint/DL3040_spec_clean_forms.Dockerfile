# source: DL3040 hadolint takes any later command of the same tool with the word clean or all
# (dnf clean metadata, dnf clean packages), and any later rm -rf, for the clean-up
# deviation: strata wants dnf clean all or the removal of the cache directory: the other clean
# forms leave the solver cache or the repository metadata in the layer (strata explain DL3040)
FROM registry.access.redhat.com/ubi9/ubi:9.4
# want "DL3040"
RUN dnf install -y postgresql-10.4 && dnf clean metadata
WORKDIR /
# want "DL3040"
RUN dnf install -y postgresql-10.4 && dnf clean packages
WORKDIR /
# want "DL3040"
RUN microdnf install -y postgresql-10.4 && microdnf clean metadata
WORKDIR /
RUN dnf install -y postgresql-10.4 && rm -rf /var/cache/dnf
WORKDIR /
RUN dnf -y install postgresql-10.4 && dnf -y clean all
USER nobody
CMD ["true"]
