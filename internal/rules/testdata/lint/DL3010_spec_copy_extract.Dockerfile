# spec: DL3010 COPY of a local archive later extracted with tar -x (reported on the COPY line)
FROM debian:bookworm-slim
# want "DL3010"
COPY packaged-app.tar /usr/src/app
RUN tar -xf /usr/src/app/packaged-app.tar
USER nobody
CMD ["true"]
