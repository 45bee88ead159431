FROM python:3.12-slim AS base
HEALTHCHECK CMD ["python3", "-c", "import urllib.request; urllib.request.urlopen('http://localhost:8000/')"]

# The health check of the base stage is inherited.
FROM base AS app
USER nobody
EXPOSE 8000
CMD ["true"]

# HEALTHCHECK NONE is a decision.
FROM python:3.12-slim
USER nobody
EXPOSE 8000
HEALTHCHECK NONE
CMD ["true"]
