# A raw-socket scanner needs root (or CAP_NET_RAW).
FROM alpine:3.20
RUN apk add --no-cache masscan=1.3.2-r1
ENTRYPOINT ["masscan"]
CMD ["--help"]
