# enable: SD102
FROM golang:1.23 AS build
RUN go version > /out

# want "SD102"
FROM debian:bookworm-slim
COPY --from=build /out /out
USER nobody
CMD ["true"]
