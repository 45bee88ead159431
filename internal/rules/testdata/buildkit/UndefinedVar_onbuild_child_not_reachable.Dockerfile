FROM alpine:3.21 AS template
ONBUILD ENV RUNTIME=$TRIGGER_RUNTIME

FROM template AS app
RUN true

FROM alpine:3.21
RUN true
