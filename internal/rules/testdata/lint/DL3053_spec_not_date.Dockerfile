# spec: DL3053 rfc3339 label that is not a date
# enable: DL3053
# settings: label-schema=datelabel:rfc3339
FROM debian:bookworm-slim
# want "DL3053"
LABEL datelabel="not-date"
USER nobody
CMD ["true"]
