FROM alpine:3.21
CMD ["one"]
cmd ["two"]
