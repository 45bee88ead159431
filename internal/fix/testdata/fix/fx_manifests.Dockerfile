FROM debian:bookworm-slim
# The source is copied before the packages are installed: any edit
# re-runs the installs.
COPY . /app/
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 && rm -rf /var/lib/apt/lists/*
USER nobody
CMD ["python3", "/app/app.py"]
