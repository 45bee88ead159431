# spec: DL3049 single stage without the required label, or with another label only (reported on FROM)
# enable: DL3049
# settings: label-schema=foo:text
# want "DL3049"
FROM debian:bookworm-slim
LABEL bar="baz"
USER nobody
CMD ["true"]
