# spec: DL3013 unpinned pip, pip2, pip3 and python -m pip installs (also ONBUILD, with --index-url)
FROM debian:bookworm-slim
# want "DL3013"
RUN pip2 install --no-cache-dir requests_oauthlib
WORKDIR /
# want "DL3013"
RUN pip3 install --no-cache-dir requests_oauthlib
WORKDIR /
# want "DL3013"
RUN pip install --no-cache-dir requests_oauthlib
WORKDIR /
# want "DL3013"
RUN python -m pip install --no-cache-dir example
# want "DL3013"
ONBUILD RUN pip2 install --no-cache-dir requests_oauthlib
# want "DL3013"
ONBUILD RUN python -m pip install --no-cache-dir --index-url url example
USER nobody
CMD ["true"]
