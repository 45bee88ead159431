# spec: DL3042 ENV PIP_NO_CACHE_DIR=1 of an unrelated earlier stage does not apply
FROM python:3.12-slim AS base
ENV PIP_NO_CACHE_DIR=1
FROM python:3.12-slim
# want "DL3042"
RUN pip install six==1.16.0
USER nobody
CMD ["true"]
