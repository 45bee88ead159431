FROM alpine:3.21
# check=skip=JSONArgsRecommended
CMD serve
ENTRYPOINT start
