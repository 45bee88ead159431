# A tool that drives the host's Docker through its socket.
FROM alpine:3.20
COPY updater /updater
VOLUME /var/run/docker.sock
ENTRYPOINT ["/updater"]
