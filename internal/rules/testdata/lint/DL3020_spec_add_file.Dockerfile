# spec: DL3020 ADD of a plain file, or of a .zip (quoted or not)
FROM debian:bookworm-slim
# want "DL3020"
ADD file /usr/src/app/
# want "DL3020"
ADD file.zip /usr/src/app/
# want "DL3020"
ADD "file.zip" /usr/src/app/
USER nobody
CMD ["true"]
