# spec: DL3002 last USER root:root
FROM scratch
# want "DL3002"
USER root:root
