FROM alpine:3.21 AS build
RUN touch /x
FROM alpine:3.21
COPY --from build /x /x
