# spec: DL3042 ENV PIP_NO_CACHE_DIR with a falsy value (0/off/no/false) does not help
FROM python:3.12-slim
ENV PIP_NO_CACHE_DIR=false
# want "DL3042"
RUN pip install requests_oauthlib==1.2.2
USER nobody
CMD ["true"]
