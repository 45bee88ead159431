# spec: DL3042 --no-cache-dir anywhere; pipx and pipenv are not pip; PIP_NO_CACHE_DIR truthy (1/on/yes/true) as prefix or export
FROM python:3.12-slim
RUN pip2 install requests_oauthlib==1.2.2 --no-cache-dir
WORKDIR /
RUN pip3 install --no-cache-dir requests_oauthlib==1.2.2
WORKDIR /
RUN pipx install software
WORKDIR /
RUN pipenv install library
WORKDIR /
RUN PIP_NO_CACHE_DIR=1 pip install requests_oauthlib==1.2.2
WORKDIR /
RUN PIP_NO_CACHE_DIR=on pip install requests_oauthlib==1.2.2
WORKDIR /
RUN PIP_NO_CACHE_DIR=yes pip install requests_oauthlib==1.2.2
WORKDIR /
RUN PIP_NO_CACHE_DIR=true pip install requests_oauthlib==1.2.2
WORKDIR /
RUN export PIP_NO_CACHE_DIR=1 && pip install requests_oauthlib==1.2.2
WORKDIR /
RUN export PIP_NO_CACHE_DIR=on && pip install requests_oauthlib==1.2.2
WORKDIR /
RUN export PIP_NO_CACHE_DIR=yes && pip install requests_oauthlib==1.2.2
WORKDIR /
RUN export PIP_NO_CACHE_DIR=true && pip install requests_oauthlib==1.2.2
ONBUILD RUN pip3 install --no-cache-dir requests_oauthlib==1.2.2
USER nobody
CMD ["true"]
