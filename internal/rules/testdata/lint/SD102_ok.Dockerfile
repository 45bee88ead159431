# enable: SD102
# Builder bases are not checked; the final one carries a digest.
FROM golang:1.23 AS build
RUN go version > /out

FROM debian:bookworm-slim@sha256:2e7ae8d5e7b6e5b6f3c3b0e0c4f7d6a1b2c3d4e5f60718293a4b5c6d7e8f9012
COPY --from=build /out /out
USER nobody
CMD ["true"]
