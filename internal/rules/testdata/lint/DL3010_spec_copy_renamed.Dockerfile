# spec: DL3010 archive copied to an archive name (the target's basename is what is matched)
FROM debian:bookworm-slim
# want "DL3010"
COPY foo/bar/packaged-app.tar /foo.tar
RUN tar -xf /foo.tar
USER nobody
CMD ["true"]
