FROM golang:1.23 AS build
# want "DL3023: COPY --from=build refers to the stage it is in"
COPY --from=build /src /src
# want "DL3023: COPY --from=0 refers to the stage it is in"
COPY --from=0 /src /src2

FROM alpine:3.20 AS final
# want "DL3023: COPY --from=Final refers to the stage it is in"
COPY --from=Final /x /y
USER nobody
CMD ["true"]
