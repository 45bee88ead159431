ARG DEST=/opt/app
FROM python:3.12-slim AS base
WORKDIR /app

FROM base AS child
COPY app.py .

FROM child
ARG DEST
COPY app.py ./app.py
COPY app.py /usr/local/bin/app.py
COPY app.py "/quoted/"
COPY app.py ${DEST}

FROM python:3.12-slim AS lib
# ONBUILD COPY runs in the downstream build, after this image's WORKDIR.
ONBUILD COPY . src/
WORKDIR /lib

FROM python:3.12-slim
ONBUILD WORKDIR /app
ONBUILD COPY . src/
COPY app.py /app/
USER nobody
CMD ["python3", "/app/app.py"]
