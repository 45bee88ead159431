FROM debian:bookworm-slim
# want "DL3003: Use WORKDIR to switch to a directory"
RUN cd /usr/src && touch built
WORKDIR /
# want "DL3003: Use WORKDIR to switch to a directory"
RUN <<EOF
cd /opt
touch built
EOF
# want "DL3003: ONBUILD Use WORKDIR to switch to a directory"
ONBUILD RUN cd /srv && touch built
USER nobody
CMD ["true"]
