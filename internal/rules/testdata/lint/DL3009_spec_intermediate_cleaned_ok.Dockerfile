# spec: DL3009 a used stage that cleans the lists is fine
FROM debian:bookworm-slim AS foo
RUN apt-get update && apt-get install -y --no-install-recommends libxml2=2.9.14 && rm -rf /var/lib/apt/lists/*
FROM foo
RUN echo hey
USER nobody
CMD ["true"]
