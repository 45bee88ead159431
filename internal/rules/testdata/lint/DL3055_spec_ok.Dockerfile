# spec: DL3055 short and long hashes; another label
# enable: DL3055
# settings: label-schema=githash:hash
FROM debian:bookworm-slim
LABEL githash="9f1c2e7" other="foo"
LABEL githash="9f1c2e7a5b3d4c6e8f0a1b2c3d4e5f60718293a4"
USER nobody
CMD ["true"]
