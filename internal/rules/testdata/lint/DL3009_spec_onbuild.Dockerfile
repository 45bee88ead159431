# spec: DL3009 ONBUILD RUN apt-get update without cleanup fires whatever the stage (ONBUILD instructions are checked on their own, without stages)
FROM ubuntu:22.04 AS foo
# want "DL3009"
ONBUILD RUN apt-get update && apt-get install -y --no-install-recommends libxml2=2.9.14
FROM debian:bookworm-slim
RUN echo hey
USER nobody
CMD ["true"]
