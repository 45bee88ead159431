# A toolbox to build FROM or run commands in: its tools are the point.
FROM alpine:3.20
RUN apk add --no-cache curl=8.9.1-r2 git=2.45.2-r0 openssh-client=9.7_p1-r4
USER nobody
