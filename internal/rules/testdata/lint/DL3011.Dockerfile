FROM nginx:1.27
# want "DL3011: EXPOSE 80000 is outside 0-65535"
EXPOSE 80 80000
# want "DL3011: EXPOSE 9000-70000/udp is outside 0-65535"
EXPOSE 9000-70000/udp
# want "DL3011: EXPOSE 9010-9000 is an empty range"
EXPOSE 9010-9000
# want "DL3011: EXPOSE http is not a port number"
EXPOSE http
# want "DL3011: ONBUILD EXPOSE 65536/tcp is outside 0-65535"
ONBUILD EXPOSE 65536/tcp
USER nobody
CMD ["nginx"]
