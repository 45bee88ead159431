# spec: DL3061 an instruction other than ARG before the first FROM
# want "DL3061"
LABEL foo=bar
FROM debian:bookworm-slim
USER nobody
CMD ["true"]
