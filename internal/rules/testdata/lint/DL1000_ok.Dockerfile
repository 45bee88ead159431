FROM golang:1.23 AS build
RUN go build -o /out/app ./...

FROM scratch
COPY --from=build /out/app /app
COPY --from=0 /out/app /app2
COPY --link --chmod=0755 run.sh /run.sh
STOPSIGNAL SIGTERM
ARG SIG=SIGQUIT
STOPSIGNAL $SIG
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.org/t.tgz /t.tgz
USER nobody
CMD ["/app"]
