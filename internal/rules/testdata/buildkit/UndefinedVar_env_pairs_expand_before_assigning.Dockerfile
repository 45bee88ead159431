FROM alpine:3.21
ENV ROOT=/srv DATA=$ROOT/data
ENV LOGS=$ROOT/logs
