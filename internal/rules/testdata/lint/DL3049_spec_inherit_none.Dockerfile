# spec: DL3049 FROM base chain without any label: both stages reported
# enable: DL3049
# settings: label-schema=foo:text
# deviation: hadolint reports the base stage as well; strata reports the stage that makes the
# image, where one LABEL covers both (strata explain DL3049)
FROM debian:bookworm-slim AS base
# want "DL3049"
FROM base
USER nobody
CMD ["true"]
