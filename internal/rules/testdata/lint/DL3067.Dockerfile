FROM golang:1.23 AS build
RUN go version > /out

FROM scratch
# want "DL3067: COPY --from=build / / copies the whole filesystem"
COPY --from=build / /
# want `DL3067: COPY --from=busybox:1\.36 / / copies the whole filesystem`
COPY --from=busybox:1.36 "/" "/"
USER 65534
CMD ["/out"]
