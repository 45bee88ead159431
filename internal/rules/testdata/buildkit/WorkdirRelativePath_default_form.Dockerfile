FROM alpine:3.21
WORKDIR ${WORK_ROOT:-/work}
