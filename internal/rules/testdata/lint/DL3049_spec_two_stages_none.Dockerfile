# spec: DL3049 two unrelated stages, no labels or wrong labels: both FROMs reported
# enable: DL3049
# settings: label-schema=foo:text
# want "DL3049"
FROM debian:bookworm-slim AS stage1
LABEL bar="baz"
# want "DL3049"
FROM debian:bookworm-slim
LABEL tier="web"
USER nobody
CMD ["true"]
