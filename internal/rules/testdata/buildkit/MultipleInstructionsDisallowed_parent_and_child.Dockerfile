FROM alpine:3.21 AS base
CMD ["base"]

FROM base
CMD ["child"]
