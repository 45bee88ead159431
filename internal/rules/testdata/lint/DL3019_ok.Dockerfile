FROM alpine:3.20 AS build
# A build stage nothing ships from.
RUN apk add tzdata=2024b-r0 && echo built > /out
FROM alpine:3.20
COPY --from=build /out /out
RUN apk add --no-cache jq=1.7.1-r0
WORKDIR /
RUN --mount=type=cache,target=/var/cache/apk apk add gnupg=2.4.5-r0
WORKDIR /srv
RUN apk add ca-certificates=20240705-r0 && rm -rf /var/cache/apk/*
USER nobody
CMD ["true"]
