FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt .
# want "SD701: pip re-runs whenever the files copied on line 3 change"
RUN pip install --no-cache-dir -r requirements.txt
COPY app.py .
EXPOSE 8000
HEALTHCHECK CMD ["python3", "-c", "import urllib.request; urllib.request.urlopen('http://localhost:8000/')"]
# want "SD501: the final image never sets USER, so gunicorn runs as root"
CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]
