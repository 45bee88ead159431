FROM debian:bookworm-slim
WORKDIR /app
# want "DL3020: ADD of local files"
ADD requirements.txt /app/
# want "DL3020: ADD of local files"
ADD --chown=app:app src/ /app/src/
# A zip is not unpacked by ADD.
# want "DL3020: ADD of local files"
ADD site.zip /srv/
# One plain file among archives is enough.
# want "DL3020: ADD of local files"
ADD vendor.tar.gz config.yml /opt/
# want "DL3020: ADD of local files"
ADD <<EOF /etc/motd
hello
EOF
# want "DL3020: ONBUILD ADD of local files"
ONBUILD ADD . /app/
USER nobody
CMD ["true"]
