FROM alpine:3.21
CMD ["serve", \
     "--port", "80"]
CMD ["other"]
