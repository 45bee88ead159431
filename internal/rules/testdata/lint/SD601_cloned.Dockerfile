FROM python:3.12-alpine
RUN apk add --no-cache git=2.45.2-r0 \
 && git clone --depth 1 https://example.com/media/server.git /opt/server
WORKDIR /opt/server
USER nobody
# The entry file comes from the clone, not the context: whether it
# handles SIGTERM cannot be seen, so nothing is said.
ENTRYPOINT ["python", "Server.py"]
CMD ["--datadir=/data"]
