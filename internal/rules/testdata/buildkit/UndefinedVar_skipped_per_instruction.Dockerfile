FROM alpine:3.21
# check=skip=UndefinedVar
ENV A=$SKIPPED_HERE
ENV B=$REPORTED_HERE
