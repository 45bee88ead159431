FROM debian:bookworm-slim
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/tool.bin /opt/tool.bin
# want `SD402: RUN removes /opt/tool\.bin`
RUN <<EOF
chmod +x /opt/tool.bin
/opt/tool.bin --install /usr/local
rm -f /opt/tool.bin
EOF
# An ONBUILD trigger runs in another build: not judged.
ONBUILD RUN rm -f /opt/tool.bin
USER nobody
CMD ["true"]
