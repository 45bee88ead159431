# spec: DL3066 numeric UID, numeric UID:GID
# enable: DL3066
FROM debian:bookworm-slim
USER 1234:5678
USER 12345
CMD ["true"]
