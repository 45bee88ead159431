FROM debian:bookworm-slim
ARG SRC=https://example.com/tool.tar.gz
ADD https://example.com/tool.tar.gz /opt/
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/app.bin /opt/app
ADD "vendor.tgz" /opt/vendor/
ADD rootfs.tar.xz data.tar.zst /
ADD git@github.com:example/repo.git /src/
ADD https://github.com/example/repo.git#v1.2.0 /src2/
ADD ${SRC} /opt/
COPY requirements.txt /app/
USER nobody
CMD ["true"]
