ARG BASE=alpine:3.20
# want "DL3061: LABEL before the first FROM"
LABEL org.opencontainers.image.title="early"
# want "DL3061: ENV before the first FROM"
ENV EARLY=1
FROM ${BASE}
USER nobody
CMD ["true"]
