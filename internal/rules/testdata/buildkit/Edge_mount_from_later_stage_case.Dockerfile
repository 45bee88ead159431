FROM alpine:3.21 AS first
RUN --mount=type=bind,from=Later,target=/l true
FROM alpine:3.21 AS later
