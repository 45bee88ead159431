# settings: today=2026-12-05
# A build stage on an old toolchain is not the image that ships: only the
# final image's base is judged. Tags the table cannot place (latest, lts,
# another registry's image) are not judged either.
FROM golang:1.20 AS build
RUN mkdir -p /out && go version > /out/version

FROM registry.example.com/ubuntu:20.04 AS other
RUN true

FROM node:lts-alpine AS lts
RUN true

FROM debian:bookworm-slim
COPY --from=build /out/version /version
USER nobody
CMD ["cat", "/version"]
