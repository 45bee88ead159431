FROM alpine:3.20
# want `DL3019: Use the --no-cache switch to avoid the need to use --update and remove /var/cache/apk/\*`
RUN apk add tzdata=2024b-r0
WORKDIR /
# want `DL3019: Use the --no-cache switch to avoid the need to use --update and remove /var/cache/apk/\*`
RUN apk update && apk add jq=1.7.1-r0
# want "DL3019: ONBUILD Use the --no-cache switch to avoid the need to use --update and remove"
ONBUILD RUN apk add gnupg=2.4.5-r0
USER nobody
CMD ["true"]
