FROM alpine:3.21
ADD --checksum=$NO_SUM https://example.org/x.tgz /x
ENV A=${MUST?be set}/x
ENV B=$AFTER
