FROM python:3.12-slim AS build
# A build stage nothing ships from.
RUN pip install build==1.2.1 && echo built > /out
FROM python:3.12-slim
COPY --from=build /out /out
RUN pip install --no-cache-dir flask==3.0.3 && PIP_NO_CACHE_DIR=1 pip install requests==2.32.3
WORKDIR /app
RUN --mount=type=cache,target=/root/.cache/pip pip install gunicorn==22.0.0
WORKDIR /srv
RUN pip install click==8.1.7 && pip cache purge
FROM python:3.12-slim
ENV PIP_NO_CACHE_DIR=1
COPY --from=build /out /out
RUN pip install flask==3.0.3
USER nobody
CMD ["true"]
