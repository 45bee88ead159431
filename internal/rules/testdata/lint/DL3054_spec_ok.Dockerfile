# spec: DL3054 BSD-3-Clause, MIT; another label
# enable: DL3054
# settings: label-schema=spdxlabel:spdx
FROM debian:bookworm-slim
LABEL spdxlabel="BSD-3-Clause" other="fooo"
ONBUILD LABEL spdxlabel="MIT"
USER nobody
CMD ["true"]
