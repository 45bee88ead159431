# enable: DL3057
FROM golang:1.23 AS build
RUN go version > /out

# want "DL3057: the image has no HEALTHCHECK"
FROM alpine:3.20
COPY --from=build /out /out
# want "SD602: the image serves port 8080 but has no HEALTHCHECK, so a hung server is never detected"
EXPOSE 8080
USER nobody
CMD ["true"]
