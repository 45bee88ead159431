FROM python:3.12-slim AS base
# want `DL3045: COPY to relative destination \. without a WORKDIR`
COPY requirements.txt .
WORKDIR /app
COPY app.py .

FROM python:3.12-slim AS other
# A WORKDIR of another stage does not count.
# want "DL3045: COPY to relative destination app/ without a WORKDIR"
COPY app.py app/
# want "DL3045: COPY to relative destination conf/ without a WORKDIR"
COPY ["setup.cfg", "conf/"]
# want "DL3045: ONBUILD COPY to relative destination src/ without a WORKDIR"
ONBUILD COPY . src/
USER nobody
CMD ["python3", "app/app.py"]
