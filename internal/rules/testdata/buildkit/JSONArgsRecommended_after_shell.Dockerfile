FROM alpine:3.21 AS before
CMD echo before

FROM alpine:3.21
SHELL ["/bin/ash", "-eo", "pipefail", "-c"]
CMD echo after
ENTRYPOINT exec /app
