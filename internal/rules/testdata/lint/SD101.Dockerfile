# Builder stages may be as fat as they like.
FROM golang:1.23 AS build
RUN go version > /out

# want `SD101: the final image is built on python:3\.12, the full Python image with compilers`
FROM python:3.12
COPY --from=build /out /out
USER nobody
CMD ["true"]
