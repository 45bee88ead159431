FROM python:3.12-slim
WORKDIR /app
COPY app.py .
USER nobody
# want "SD602: the image serves port 8000 but has no HEALTHCHECK, so a hung server is never detected"
EXPOSE 8000/tcp
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["python3", "app.py"]
