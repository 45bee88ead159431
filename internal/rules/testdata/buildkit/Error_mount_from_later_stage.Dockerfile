FROM alpine:3.21 AS first
RUN --mount=from=second,target=/s true
FROM alpine:3.21 AS second
