# spec: DL3010 archive extracted by basename after a WORKDIR, inside a command chain
FROM debian:bookworm-slim
# want "DL3010"
COPY packaged-app.tar /usr/src/app
WORKDIR /usr/src/app
RUN echo step && tar -xf packaged-app.tar
USER nobody
CMD ["true"]
