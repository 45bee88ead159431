FROM python:3.12-slim
WORKDIR /app
COPY app.py .
USER nobody
ARG APP_PORT
# The port is only known when the image is built or run: no number is
# made up.
# want `SD602: the image serves port \$\{APP_PORT\} \(set at build or run time\) but has no HEALTHCHECK`
EXPOSE ${APP_PORT}
CMD ["gunicorn", "app:app"]
