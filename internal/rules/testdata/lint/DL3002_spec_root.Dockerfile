# spec: DL3002 last USER root (single stage)
FROM scratch
# want "DL3002"
USER root
