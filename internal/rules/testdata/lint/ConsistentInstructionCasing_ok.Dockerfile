arg TAG=3.20
FROM alpine:${TAG}
ENV A=1
COPY app /app/
