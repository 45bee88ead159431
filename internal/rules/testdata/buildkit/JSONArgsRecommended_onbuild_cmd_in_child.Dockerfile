FROM alpine:3.21 AS template
ONBUILD CMD serve --from-template

FROM template
RUN true
