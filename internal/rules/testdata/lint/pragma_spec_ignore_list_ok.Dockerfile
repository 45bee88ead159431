# spec: pragma with a list "DL3001,DL3002" silences DL3002
# target: DL3002
FROM scratch
# hadolint ignore=DL3001,DL3002
USER root
