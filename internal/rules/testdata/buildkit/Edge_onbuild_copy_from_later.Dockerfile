FROM alpine:3.21 AS template
ONBUILD COPY --from=assets /dist /dist

FROM template AS app

FROM alpine:3.21 AS assets
RUN true
COPY --from=app /dist /x
