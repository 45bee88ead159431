# enable: DL3066
FROM alpine:3.20 AS base
# want "DL3066: USER nobody is a name"
USER nobody

FROM base
CMD ["true"]
