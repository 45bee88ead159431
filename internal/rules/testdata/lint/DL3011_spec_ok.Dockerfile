# spec: DL3011 valid port, valid range, variables
FROM debian:bookworm-slim
EXPOSE 60000
EXPOSE ${WIDGET}
EXPOSE 40000-60000/tcp
# want "DL1000"
EXPOSE 40000-${WIDGET}
HEALTHCHECK CMD ["true"]
USER nobody
CMD ["true"]
