# enable: DL3057
FROM golang:1.23 AS build
RUN go version > /out

FROM alpine:3.20 AS base
HEALTHCHECK CMD ["wget", "-q", "--spider", "http://localhost:8080/"]

FROM base
COPY --from=build /out /out
EXPOSE 8080
USER nobody
CMD ["true"]
