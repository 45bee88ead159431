FROM python:3.12-slim
WORKDIR /app
COPY app.py .
USER nobody
# want "SD602"
EXPOSE 8000/tcp
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["python3", "app.py"]
