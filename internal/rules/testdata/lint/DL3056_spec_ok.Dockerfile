# spec: DL3056 1.0.0 and 2.0.1-rc1; another label
# enable: DL3056
# settings: label-schema=semver:semver
FROM debian:bookworm-slim
LABEL semver="1.0.0" other="foo"
ONBUILD LABEL semver="2.0.1-rc1"
USER nobody
CMD ["true"]
