FROM python:3.12-slim
# want "DL3042: ^Avoid use of cache directory with pip"
RUN pip install flask==3.0.3
WORKDIR /app
# want "DL3042: ^Avoid use of cache directory with pip"
RUN python3 -m pip install --upgrade pip==24.0 && pip3 install --no-cache-dir requests==2.32.3
# PIP_NO_CACHE_DIR=0 does not disable the cache.
ENV PIP_NO_CACHE_DIR=0
# want "DL3042: ^Avoid use of cache directory with pip"
RUN pip install gunicorn==22.0.0
# want "DL3042: ^ONBUILD Avoid use of cache directory with pip"
ONBUILD RUN pip install click==8.1.7
USER nobody
CMD ["true"]
