FROM alpine:3.21
CMD ["serve", "--port", "8080"]
ENTRYPOINT [start, now]
