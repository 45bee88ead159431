FROM alpine:3.20 AS base
CMD ["one"]
# want "DL4003: another CMD in this stage"
CMD ["two"]

FROM base
CMD ["three"]
USER nobody
# want "DL4003: another CMD in this stage"
CMD ["four"]
