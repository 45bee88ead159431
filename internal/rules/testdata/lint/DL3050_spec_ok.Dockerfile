# spec: DL3050 no label, or only schema labels
# enable: DL3050
# settings: label-schema=required:text
# settings: strict-labels=true
FROM debian:bookworm-slim
LABEL required="foo"
USER nobody
CMD ["true"]
