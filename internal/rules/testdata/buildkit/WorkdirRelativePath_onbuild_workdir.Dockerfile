FROM alpine:3.21 AS template
ONBUILD WORKDIR relative

FROM template
WORKDIR /absolute
