FROM alpine:3.20
# want `DL3044: ENV uses \$APP_HOME, defined in the same ENV` `UndefinedVar: Usage of undefined variable '\$APP_HOME'`
ENV APP_HOME=/srv/app APP_BIN=$APP_HOME/bin
# want `DL3044: ENV uses \$GOPATH, defined in the same ENV` `UndefinedVar: Usage of undefined variable '\$GOPATH'`
ENV GOPATH=/go PATH=${GOPATH}/bin:$PATH
# want `DL3044: ENV uses \$A, defined in the same ENV` `UndefinedVar: Usage of undefined variable '\$A'`
ENV A=1 B="${A:-0}/x"
# A variable defined twice refers to its own first value.
# $P is also undefined before this ENV.
# want `DL3044: ENV uses \$P, \$P, defined in the same ENV` `UndefinedVar: Usage of undefined variable '\$P'`
ENV P=/a:${P} P=/b:${P}
USER nobody
CMD ["true"]
