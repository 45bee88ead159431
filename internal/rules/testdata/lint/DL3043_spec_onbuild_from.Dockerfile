# spec: DL3043 ONBUILD FROM
FROM debian:bookworm-slim
# want "DL3043"
ONBUILD FROM debian:buster
USER nobody
CMD ["true"]
