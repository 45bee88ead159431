FROM python:3.12-slim
COPY entrypoint.sh /usr/local/bin/
USER nobody
# An entrypoint script is trusted to exec under an init or handle signals.
ENTRYPOINT ["entrypoint.sh"]
CMD ["python3", "app.py"]
