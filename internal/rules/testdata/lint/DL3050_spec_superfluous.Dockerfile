# spec: DL3050 with strict labels, a label outside the schema (alone or next to a required one)
# enable: DL3050
# settings: label-schema=required:text
# settings: strict-labels=true
FROM debian:bookworm-slim
# want "DL3050"
LABEL other="bar"
# want "DL3050"
LABEL other="bar" required="foo"
# want "DL3050"
ONBUILD LABEL other="bar"
USER nobody
CMD ["true"]
