# spec: pragma ignoring another rule does not silence DL3002
# target: DL3002
FROM scratch
# want "DL3002"
# hadolint ignore=DL3001
USER root
