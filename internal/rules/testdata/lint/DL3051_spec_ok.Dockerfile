# spec: DL3051 non-empty schema label; an empty label outside the schema
# enable: DL3051
# settings: label-schema=emptylabel:text
FROM debian:bookworm-slim
LABEL emptylabel="foo"
LABEL other=""
USER nobody
CMD ["true"]
