FROM debian:bookworm-slim
# want "DL3047: ^Avoid use of wget without progress bar"
RUN wget https://example.com/file.tar.gz
WORKDIR /tmp
# -O (the output document) is not -o (the log file).
# want "DL3047: ^Avoid use of wget without progress bar"
RUN wget -O /tmp/x https://example.com/x
# want "DL3047: ^ONBUILD Avoid use of wget without progress bar"
ONBUILD RUN wget https://example.com/y
USER nobody
CMD ["true"]
