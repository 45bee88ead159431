FROM nginx:1.27
ARG PORT=8080
# want `SD602: the image serves port 80 \(HTTP\) but has no HEALTHCHECK, so a hung server is never detected`
EXPOSE 0 80 443/tcp 53/udp 65535
EXPOSE 9000-9010/udp "8443"
EXPOSE ${PORT}
USER nobody
CMD ["nginx"]
