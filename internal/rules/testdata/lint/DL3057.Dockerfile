# enable: DL3057
FROM golang:1.23 AS build
RUN go version > /out

# want "DL3057"
FROM alpine:3.20
COPY --from=build /out /out
# want "SD602"
EXPOSE 8080
USER nobody
CMD ["true"]
