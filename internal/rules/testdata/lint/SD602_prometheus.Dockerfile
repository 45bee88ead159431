FROM quay.io/prometheus/busybox-linux-amd64:glibc
COPY .build/prometheus /bin/prometheus
COPY .build/promtool /bin/promtool
USER nobody
# promtool, which the image ships, checks the server's health endpoint.
# want `SD602: the image serves port 9090 \(HTTP\).*HEALTHCHECK CMD \["/bin/promtool", "check", "healthy"\]`
EXPOSE 9090
ENTRYPOINT ["/bin/prometheus"]
CMD ["--config.file=/etc/prometheus/prometheus.yml"]
