FROM alpine:3.21
ONBUILD CMD ["later"]
CMD ["now"]
