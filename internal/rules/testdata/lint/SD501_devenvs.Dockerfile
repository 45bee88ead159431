FROM python:3.12-slim AS builder
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
CMD ["python3", "app.py"]

# A Docker Dev Environment target: the tool picks the user.
FROM builder AS dev-envs
RUN useradd -s /bin/bash -m vscode
CMD ["sleep", "infinity"]
