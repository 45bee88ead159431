FROM python:3.12-slim
WORKDIR /app
COPY app.py .
USER nobody
# Through sh -c as well.
# want "SD601: python3 runs as PID 1" "DL3025: CMD in shell form" "JSONArgsRecommended"
CMD exec python3 app.py
