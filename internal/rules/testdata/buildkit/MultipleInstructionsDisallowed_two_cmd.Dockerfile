FROM alpine:3.21
CMD ["one"]
RUN true
CMD ["two"]
