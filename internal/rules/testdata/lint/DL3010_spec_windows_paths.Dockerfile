# spec: DL3010 Windows paths: basenames split on backslash too
FROM debian:bookworm-slim
# want "DL3010"
COPY build\foo\bar.tar.gz C:\Apps\Foo
RUN tar -xf "C:\Apps\Foo\bar.tar.gz"
# want "DL3010"
COPY build\foo\bar.tar.gz C:\Apps\foo.tar.gz
RUN tar -xf foo.tar.gz
USER nobody
CMD ["true"]
