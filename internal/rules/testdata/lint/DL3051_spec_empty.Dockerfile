# spec: DL3051 schema label with an empty value
# enable: DL3051
# settings: label-schema=emptylabel:text
FROM debian:bookworm-slim
# want "DL3051"
LABEL emptylabel=""
# want "DL3051"
ONBUILD LABEL emptylabel=""
USER nobody
CMD ["true"]
