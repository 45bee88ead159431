# spec: DL3009 no cleanup in the last stage
FROM ubuntu:22.04 AS foo
RUN echo hey
FROM debian:bookworm-slim
# want "DL3009"
RUN apt-get update && apt-get install -y --no-install-recommends libxml2=2.9.14
USER nobody
CMD ["true"]
