# enable: DL3066
FROM alpine:3.20 AS build
USER builder

FROM alpine:3.20
ARG APP_UID=10001
USER app
USER ${APP_UID}:${APP_UID}
CMD ["true"]
