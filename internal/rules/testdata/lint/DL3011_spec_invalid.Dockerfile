# spec: DL3011 port above 65535, alone or as the end of a range
FROM debian:bookworm-slim
# want "DL3011"
EXPOSE 80000
# want "DL3011"
EXPOSE 40000-80000/tcp
HEALTHCHECK CMD ["true"]
USER nobody
CMD ["true"]
