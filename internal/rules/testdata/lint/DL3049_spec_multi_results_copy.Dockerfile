# spec: DL3049 two result stages copying from base, only one labelled: the other result is reported once
# enable: DL3049
# settings: label-schema=foo:text
FROM debian:bookworm-slim AS base
FROM alpine:3.20 AS r1
LABEL foo="bar"
COPY --from=base /bar /baz

# want "DL3049"
FROM alpine:3.20
COPY --from=base /bar /baz
USER nobody
CMD ["true"]
