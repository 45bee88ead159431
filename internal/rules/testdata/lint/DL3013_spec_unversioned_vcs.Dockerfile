# spec: DL3013 a VCS URL without @ref is not pinned
FROM debian:bookworm-slim
# want "DL3013"
RUN pip install --no-cache-dir git+https://github.com/rtfd/read-ext.git#egg=read-ext
WORKDIR /
# want "DL3013"
RUN pip install --no-cache-dir git+ssh://github.com/rtfd/read-ext.git#egg=read-ext
USER nobody
CMD ["true"]
