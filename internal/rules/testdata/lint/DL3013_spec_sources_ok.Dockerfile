# spec: DL3013 local files/dirs, URLs, VCS with @ref, requirement files, "." are not flagged
FROM debian:bookworm-slim
RUN pip3 install --no-cache-dir mypkg.whl
WORKDIR /
RUN pip3 install --no-cache-dir mypkg.tar.gz
WORKDIR /
RUN pip install --no-cache-dir -r requirements.txt
WORKDIR /
RUN pip install --no-cache-dir --requirement requirements.txt
WORKDIR /
RUN pip install --no-cache-dir .
WORKDIR /
RUN pip install --no-cache-dir git+https://github.com/rtfd/r-ext.git@0.6-alpha#egg=r-ext
WORKDIR /
RUN pip install --no-cache-dir git+ssh://github.com/rtfd/r-ext.git@0.6-alpha#egg=r-ext
WORKDIR /
RUN pip install --no-cache-dir foo/bar
WORKDIR /
RUN pip install --no-cache-dir https://foo.bar/baz.zip
ONBUILD RUN pip install --no-cache-dir -r requirements.txt
USER nobody
CMD ["true"]
