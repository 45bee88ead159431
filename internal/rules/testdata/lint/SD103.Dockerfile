# settings: today=2026-12-05
# The course exercise's base: Ubuntu 20.04's standard support ended in May 2025.
# want `SD103: the final image is built on ubuntu:20\.04, past its end of life \(Ubuntu 20\.04 \(focal\): standard support ended on 2025-05-31\): its packages get no security fixes; move to ubuntu:24\.04`
FROM ubuntu:20.04
# strata ignore=DL3008
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
USER nobody
CMD ["curl", "--version"]
