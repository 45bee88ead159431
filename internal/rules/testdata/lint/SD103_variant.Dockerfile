# settings: today=2026-12-05
# Python 3.11 is supported, but the image variant is built on Debian 10, which is not.
# want `SD103: the final image is built on python:3\.11-slim-buster, past its end of life \(its variant is built on Debian 10 \(buster\), whose support ended on 2024-06-30\): its packages get no security fixes; move to python:3\.11-slim`
FROM python:3.11-slim-buster
COPY app.py /app/
USER nobody
CMD ["python", "/app/app.py"]
