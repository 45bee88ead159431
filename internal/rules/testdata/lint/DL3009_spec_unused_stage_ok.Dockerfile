# spec: DL3009 no cleanup in a stage that no later FROM builds on: not reported (COPY --from does not count as use)
FROM ubuntu:22.04 AS foo
RUN apt-get update && apt-get install -y --no-install-recommends libxml2=2.9.14
FROM debian:bookworm-slim
COPY --from=foo /etc/os-release /tmp/os-release
RUN echo hey
USER nobody
CMD ["true"]
