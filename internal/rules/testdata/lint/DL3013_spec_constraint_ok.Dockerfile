# spec: DL3013 a constraints file (-c or --constraint) pins: no finding even for a bare name
FROM debian:bookworm-slim
RUN pip install --no-cache-dir pykafka --constraint http://foo.bar.baz
WORKDIR /
RUN pip install --no-cache-dir pykafka -c http://foo.bar.baz
USER nobody
CMD ["true"]
