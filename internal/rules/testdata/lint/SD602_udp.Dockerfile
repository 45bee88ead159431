FROM alpine:3.20
COPY turnd /usr/local/bin/turnd
USER nobody
# The UDP port cannot be probed; the web port can, with busybox wget.
# want "SD602: the image serves port 8080 but has no HEALTHCHECK.*wget -q --spider http://localhost:8080/"
EXPOSE 3478/udp 8080
ENTRYPOINT ["/usr/local/bin/turnd"]
