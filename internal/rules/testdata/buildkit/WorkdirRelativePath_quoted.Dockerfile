FROM alpine:3.21 AS a
WORKDIR "quoted/dir"

FROM alpine:3.21 AS b
WORKDIR '/abs/quoted'
