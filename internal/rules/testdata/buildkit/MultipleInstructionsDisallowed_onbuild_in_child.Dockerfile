FROM alpine:3.21 AS template
ONBUILD CMD ["from-template"]

FROM template
CMD ["own"]
