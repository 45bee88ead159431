FROM python:3.12-slim
# curl for the compose healthcheck
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5 \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY app.py .
USER nobody
CMD ["gunicorn", "app:app"]
