FROM python:3.12-slim AS base
# want "DL3045"
COPY requirements.txt .
WORKDIR /app
COPY app.py .

FROM python:3.12-slim AS other
# A WORKDIR of another stage does not count.
# want "DL3045"
COPY app.py app/
# want "DL3045"
COPY ["setup.cfg", "conf/"]
# want "DL3045"
ONBUILD COPY . src/
USER nobody
# want "SD601"
CMD ["python3", "app/app.py"]
