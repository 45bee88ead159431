FROM debian:bookworm-slim
# want "DL3001"
RUN service nginx start
WORKDIR /tmp
# want "DL3001"
RUN ps aux > /tmp/ps.txt && echo done
WORKDIR /
# The pointless command may hide in a heredoc.
# want "DL3001"
RUN <<EOF
echo start
top -b -n 1
EOF
# want "DL3001"
ONBUILD RUN mount -t tmpfs none /mnt
USER nobody
CMD ["true"]
