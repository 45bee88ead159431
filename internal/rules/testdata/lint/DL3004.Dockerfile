FROM debian:bookworm-slim
# want `DL3004: Do not use sudo as it leads to unpredictable behavior\. Use a tool like gosu to enforce`
RUN sudo touch /etc/x
WORKDIR /
# want `DL3004: Do not use sudo as it leads to unpredictable behavior\. Use a tool like gosu to enforce`
RUN <<EOF
echo hi
sudo -u nobody touch /tmp/y
EOF
# want `DL3004: ONBUILD Do not use sudo as it leads to unpredictable behavior\. Use a tool like gosu to`
ONBUILD RUN sudo touch /etc/z
USER nobody
CMD ["true"]
