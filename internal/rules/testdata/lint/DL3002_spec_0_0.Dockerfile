# spec: DL3002 last USER 0:0
FROM scratch
# want "DL3002"
USER 0:0
