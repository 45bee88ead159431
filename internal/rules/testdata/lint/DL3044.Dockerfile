FROM alpine:3.20
# want "DL3044"
ENV APP_HOME=/srv/app APP_BIN=$APP_HOME/bin
# want "DL3044"
ENV GOPATH=/go PATH=${GOPATH}/bin:$PATH
# want "DL3044"
ENV A=1 B="${A:-0}/x"
# A variable defined twice refers to its own first value.
# $P is also undefined before this ENV.
# want "DL3044" "UndefinedVar"
ENV P=/a:${P} P=/b:${P}
USER nobody
CMD ["true"]
