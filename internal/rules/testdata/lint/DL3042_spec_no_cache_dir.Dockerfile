# spec: DL3042 pip/pip2/pip3 install without --no-cache-dir; PIP_NO_CACHE_DIR falsy (ENV, prefix, export) does not help
FROM python:3.12-slim
# want "DL3042"
RUN pip2 install requests_oauthlib==1.2.2
WORKDIR /
# want "DL3042"
RUN pip3 install requests_oauthlib==1.2.2
WORKDIR /
# want "DL3042"
RUN pip install requests_oauthlib==1.2.2
WORKDIR /
# want "DL3042"
RUN PIP_NO_CACHE_DIR=0 pip install requests_oauthlib==1.2.2
WORKDIR /
# want "DL3042"
RUN PIP_NO_CACHE_DIR=off pip install requests_oauthlib==1.2.2
WORKDIR /
# want "DL3042"
RUN export PIP_NO_CACHE_DIR=no && pip install requests_oauthlib==1.2.2
WORKDIR /
# want "DL3042"
RUN export PIP_NO_CACHE_DIR=false && pip install requests_oauthlib==1.2.2
# want "DL3042"
ONBUILD RUN pip2 install requests_oauthlib==1.2.2
USER nobody
CMD ["true"]
