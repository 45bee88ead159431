FROM alpine:3.20 AS base
FROM scratch
COPY --from=base /etc/os-release /
USER 65534
CMD ["/bin/true"]
