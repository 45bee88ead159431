FROM alpine:3.20
# want "ExposeProtoCasing: Defined protocol '80/TCP' in EXPOSE instruction should be lowercase"
EXPOSE 80/TCP 53/udp
ARG PORT=8080
# want "ExposeProtoCasing: Defined protocol '8080/Udp' in EXPOSE instruction should be lowercase"
EXPOSE ${PORT}/Udp
