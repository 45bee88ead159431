# spec: DL3042 ENV PIP_NO_CACHE_DIR truthy in the stage, or inherited from the stage this one is built FROM
FROM python:3.12-slim AS base
ENV PIP_NO_CACHE_DIR=1
RUN pip install requests_oauthlib==1.2.2
FROM base
RUN pip install six==1.16.0
FROM python:3.12-slim AS c
ENV PIP_NO_CACHE_DIR=on
RUN pip install six==1.16.0
FROM python:3.12-slim AS d
ENV PIP_NO_CACHE_DIR=yes
RUN pip install six==1.16.0
FROM python:3.12-slim
ENV PIP_NO_CACHE_DIR=true
RUN pip install six==1.16.0
USER nobody
CMD ["true"]
