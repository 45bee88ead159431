# spec: DL3053 RFC 3339 with nanoseconds and offset; another label
# enable: DL3053
# settings: label-schema=datelabel:rfc3339
FROM debian:bookworm-slim
LABEL datelabel="2024-05-17T08:30:00.5+02:00" other="doo"
USER nobody
CMD ["true"]
