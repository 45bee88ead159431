# spec: DL3011 hadolint's spec snippet has no FROM: EXPOSE 80000 alone is reported (with DL3061)
# target: DL3011
# want "DL3011" "DL3061"
EXPOSE 80000
