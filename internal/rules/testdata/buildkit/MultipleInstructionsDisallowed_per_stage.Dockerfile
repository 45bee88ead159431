FROM alpine:3.21 AS one
CMD ["one"]

FROM alpine:3.21
CMD ["two"]
