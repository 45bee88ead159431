FROM alpine:3.21 AS first
COPY --from=second /x /x
FROM alpine:3.21 AS second
RUN touch /x
