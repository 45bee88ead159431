# spec: DL3009 no cleanup in a stage that a later FROM builds on
FROM debian:bookworm-slim AS foo
# want "DL3009"
RUN apt-get update && apt-get install -y --no-install-recommends libxml2=2.9.14
FROM foo
RUN echo hey
USER nobody
CMD ["true"]
