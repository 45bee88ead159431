FROM debian:bookworm-slim
# want "DL3001: service makes no sense in a Docker build"
RUN service nginx start
WORKDIR /tmp
# want "DL3001: ps makes no sense in a Docker build"
RUN ps aux > /tmp/ps.txt && echo done
WORKDIR /
# The pointless command may hide in a heredoc.
# want "DL3001: top makes no sense in a Docker build"
RUN <<EOF
echo start
top -b -n 1
EOF
# want "DL3001: ONBUILD mount makes no sense in a Docker build"
ONBUILD RUN mount -t tmpfs none /mnt
USER nobody
CMD ["true"]
