FROM alpine:3.21 AS dot
WORKDIR .

FROM alpine:3.21 AS tilde
WORKDIR ~/app
