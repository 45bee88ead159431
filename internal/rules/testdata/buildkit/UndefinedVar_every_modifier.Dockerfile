FROM alpine:3.21
ENV A=${ALT:+on}
ENV B=${ARCHIVE%.tar.gz}
ENV C=${TAG#v}
ENV D=${NAME/-/_}
ENV E=${DEF-fallback}
ENV F=${PLUS+x}
