FROM golang:1.23 AS build
RUN go version > /out

FROM scratch
COPY --from=build /out /out
COPY --from=build / /rootfs/
USER 65534
CMD ["/out"]
