FROM alpine:3.21 AS template
ONBUILD SHELL ["/bin/sh", "-eu", "-c"]

FROM template
CMD run-with-shell
