# spec: DL3061 fires on every instruction before the first FROM except ARG and comments
# target: DL3061
# want "DL3061"
LABEL a=b
ARG X=1
# want "DL3061"
ENV C=d
FROM debian:bookworm-slim
USER nobody
CMD ["true"]
