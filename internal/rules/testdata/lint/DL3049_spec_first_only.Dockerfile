# spec: DL3049 two unrelated stages, label in the first only: the second is reported
# enable: DL3049
# settings: label-schema=foo:text
FROM debian:bookworm-slim AS a
LABEL foo="bar"
# want "DL3049"
FROM debian:bookworm-slim
USER nobody
CMD ["true"]
