FROM golang:1.23 AS build
# want "DL3023"
COPY --from=build /src /src
# want "DL3023"
COPY --from=0 /src /src2

FROM alpine:3.20 AS final
# want "DL3023"
COPY --from=Final /x /y
USER nobody
CMD ["true"]
