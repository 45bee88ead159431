ARG VERSION=1.2
FROM scratch AS files
# want "UndefinedVar"
COPY app-$VERSION /opt/
ENV PATH=/opt/bin:$PATH
# want "UndefinedVar"
ENV X=$PAHT
# want "UndefinedVar"
WORKDIR /src/$TARGETARCH
# Variables of the same ENV are not visible to each other.
# want "UndefinedVar" "DL3044"
ENV A=1 B=$A
# want "UndefinedVar"
COPY <<EOF /etc/motd
hello $NAME
EOF
# want "UndefinedVar"
ARG C=$NOPE

FROM alpine:3.20
# want "UndefinedVar"
LABEL version=$VERSION
ENV APP_HOME=/srv
# want "UndefinedVar"
WORKDIR $APP_HOEM
