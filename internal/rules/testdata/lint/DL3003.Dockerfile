FROM debian:bookworm-slim
# want "DL3003"
RUN cd /usr/src && touch built
WORKDIR /
# want "DL3003"
RUN <<EOF
cd /opt
touch built
EOF
# want "DL3003"
ONBUILD RUN cd /srv && touch built
USER nobody
CMD ["true"]
