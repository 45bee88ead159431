# A bare distribution that installs a language runtime: the language's
# slim image is the lighter base.
# want `SD101: the final image is built on ubuntu:22\.04`
FROM ubuntu:22.04
RUN apt-get update && apt-get install -y --no-install-recommends python3=3.10.6-1~22.04 \
    && rm -rf /var/lib/apt/lists/*
USER nobody
CMD ["true"]
