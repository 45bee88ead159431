FROM alpine:3.21
VOLUME ["/data/$VJ", "/logs"]
USER ${RUN_UID}:${RUN_GID}
