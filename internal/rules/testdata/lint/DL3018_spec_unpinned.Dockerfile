# spec: DL3018 apk add of an unpinned package, alone or one among pinned ones
FROM alpine:3.20
# want "DL3018"
RUN apk add --no-cache flex
WORKDIR /
# want "DL3018"
RUN apk add --no-cache \
flex=2.6.4-r1 \
libffi \
python2=2.7.13-r1 \
libbz2=1.0.6-r5
# want "DL3018"
ONBUILD RUN apk add --no-cache flex
USER nobody
CMD ["true"]
