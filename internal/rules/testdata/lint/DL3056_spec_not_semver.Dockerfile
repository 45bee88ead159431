# spec: DL3056 semver label that is not a semantic version
# enable: DL3056
# settings: label-schema=semver:semver
FROM debian:bookworm-slim
# want "DL3056"
LABEL semver="not-sem-ver"
USER nobody
CMD ["true"]
