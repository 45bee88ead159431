# spec: DL3020 ADD of a tar/gz/bz2/xz/tgz archive or of a URL (quoted or not) is fine
FROM debian:bookworm-slim
ADD file.tar /usr/src/app/
ADD file.gz /usr/src/app/
ADD file.bz2 /usr/src/app/
ADD file.xz /usr/src/app/
ADD file.tgz /usr/src/app/
ADD http://file.com /usr/src/app/
ADD "file.tgz" /usr/src/app/
ADD "http://file.com" /usr/src/app/
USER nobody
CMD ["true"]
