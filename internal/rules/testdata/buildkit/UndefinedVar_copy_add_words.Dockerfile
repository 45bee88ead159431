FROM alpine:3.21
COPY --chown=$OWNER:$OWNER_GROUP conf/$CONF_NAME /etc/$CONF_DIR/
ADD --checksum=sha256:$TARBALL_SUM https://example.org/t.tgz /t.tgz
ADD --chmod=$FILE_MODE run.sh /run.sh
