# spec: DL3054 spdx label that is not an SPDX id
# enable: DL3054
# settings: label-schema=spdxlabel:spdx
FROM debian:bookworm-slim
# want "DL3054"
LABEL spdxlabel="not-spdx"
USER nobody
CMD ["true"]
