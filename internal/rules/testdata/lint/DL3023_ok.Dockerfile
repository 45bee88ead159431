FROM golang:1.23 AS build
RUN go version > /out

FROM alpine:3.20 AS final
COPY --from=build /out /out
COPY --from=0 /out /out2
USER nobody
CMD ["true"]
