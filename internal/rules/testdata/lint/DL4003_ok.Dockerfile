FROM alpine:3.20 AS base
CMD ["one"]

FROM base
ONBUILD CMD ["later"]
CMD ["two"]
USER nobody
