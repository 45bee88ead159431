FROM debian:bookworm-slim
# want "DL3004"
RUN sudo touch /etc/x
WORKDIR /
# want "DL3004"
RUN <<EOF
echo hi
sudo -u nobody touch /tmp/y
EOF
# want "DL3004"
ONBUILD RUN sudo touch /etc/z
USER nobody
CMD ["true"]
