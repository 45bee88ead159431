# enable: DL3057
FROM alpine:3.20
HEALTHCHECK NONE
USER nobody
CMD ["true"]
