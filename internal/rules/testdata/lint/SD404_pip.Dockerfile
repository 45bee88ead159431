FROM python:3.12-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential=12.9 \
 && rm -rf /var/lib/apt/lists/*
# A native wheel compiled with build-essential kept in the image.
# want `SD404: pip install \(with build tools installed\) compiles in the final image \(a single-stage`
RUN pip install --no-cache-dir psutil==5.9.8
USER nobody
CMD ["true"]
