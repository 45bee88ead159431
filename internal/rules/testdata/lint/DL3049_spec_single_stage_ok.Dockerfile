# spec: DL3049 single stage with the label
# enable: DL3049
# settings: label-schema=foo:text
FROM debian:bookworm-slim
LABEL foo="bar"
USER nobody
CMD ["true"]
