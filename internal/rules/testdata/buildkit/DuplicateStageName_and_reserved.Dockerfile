FROM alpine:3.21 AS stage
FROM alpine:3.21 AS Stage
FROM alpine:3.21 AS context
FROM alpine:3.21 AS scratch
