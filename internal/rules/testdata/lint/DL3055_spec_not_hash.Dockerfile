# spec: DL3055 hash label that is not a git hash
# enable: DL3055
# settings: label-schema=githash:hash
FROM debian:bookworm-slim
# want "DL3055"
LABEL githash="not-git-hash"
USER nobody
CMD ["true"]
