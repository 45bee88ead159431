# The full language image running a server: -slim is the same runtime.
# want "SD101: the final image is built on python:3.12-bookworm, the full Python image"
FROM python:3.12-bookworm
WORKDIR /app
COPY app.py .
USER nobody
CMD ["python3", "app.py"]
