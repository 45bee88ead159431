FROM alpine:3.21
RUN touch /x
FROM alpine:3.21
COPY --from=0 /x /x
