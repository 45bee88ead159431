# A bare distribution that installs a language runtime to run an app:
# the language's slim image is the lighter base.
# want `SD101: the final image is built on ubuntu:22\.04, a full Ubuntu distribution on which the image installs Python`
FROM ubuntu:22.04
RUN apt-get update && apt-get install -y --no-install-recommends python3=3.10.6-1~22.04 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY app.py .
USER nobody
CMD ["python3", "app.py"]
