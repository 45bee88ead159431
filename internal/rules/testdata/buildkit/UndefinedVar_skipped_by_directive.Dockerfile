# check=skip=UndefinedVar
FROM alpine:3.21
ENV A=$SKIPPED
