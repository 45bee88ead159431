FROM alpine:3.21
CMD ["one"]
CMD ["two"]
CMD ["three"]
