FROM python:3.12-slim
WORKDIR /app
COPY app.py .
USER nobody
# Through sh -c as well.
# want "SD601" "DL3025"
CMD exec python3 app.py
