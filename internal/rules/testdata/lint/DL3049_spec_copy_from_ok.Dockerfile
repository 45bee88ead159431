# spec: DL3049 a stage only used by COPY --from of a later stage is not reported
# enable: DL3049
# settings: label-schema=foo:text
FROM debian:bookworm-slim AS base
FROM alpine:3.20
LABEL foo="bar"
COPY --from=base /bar /baz
USER nobody
CMD ["true"]
