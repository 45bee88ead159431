ARG VERSION=1.2
FROM scratch AS files
# want `UndefinedVar: Usage of undefined variable '\$VERSION'`
COPY app-$VERSION /opt/
ENV PATH=/opt/bin:$PATH
# want `UndefinedVar: Usage of undefined variable '\$PAHT'`
ENV X=$PAHT
# want `UndefinedVar: Usage of undefined variable '\$TARGETARCH'`
WORKDIR /src/$TARGETARCH
# Variables of the same ENV are not visible to each other.
# want `UndefinedVar: Usage of undefined variable '\$A'` `DL3044: ENV uses \$A, defined in the same ENV`
ENV A=1 B=$A
# want `UndefinedVar: Usage of undefined variable '\$NAME'`
COPY <<EOF /etc/motd
hello $NAME
EOF
# want `UndefinedVar: Usage of undefined variable '\$NOPE'`
ARG C=$NOPE

FROM alpine:3.20
# want `UndefinedVar: Usage of undefined variable '\$VERSION'`
LABEL version=$VERSION
ENV APP_HOME=/srv
# want `UndefinedVar: Usage of undefined variable '\$APP_HOEM'` `WorkdirRelativePath: Relative workdir ""`
WORKDIR $APP_HOEM

FROM alpine:3.21 AS selfref
# alpine sets no variable but PATH: every undefined name is reported.
ARG RELEASE=latest
# want `UndefinedVar: Usage of undefined variable '\$CHANNEL'`
ARG CHANNEL=${CHANNEL}
# want `UndefinedVar: Usage of undefined variable '\$UID'`
ENV RUNTIME_UID=${UID:-1000}
# want `UndefinedVar: Usage of undefined variable '\$HOME'`
ENV CACHE=$HOME/.cache
