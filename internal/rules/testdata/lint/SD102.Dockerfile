# enable: SD102
FROM golang:1.23 AS build
RUN go version > /out

# want "SD102: the final base debian:bookworm-slim is pinned by tag only"
FROM debian:bookworm-slim
COPY --from=build /out /out
USER nobody
CMD ["true"]
