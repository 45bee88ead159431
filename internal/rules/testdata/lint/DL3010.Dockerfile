FROM debian:bookworm-slim
# want "DL3010: Use ADD for extracting archives into an image"
COPY app.tar.gz /tmp/
# want "DL3010: Use ADD for extracting archives into an image"
COPY vendor.tgz /tmp/deps.tgz
RUN tar -xzf /tmp/app.tar.gz -C /opt && tar xzf /tmp/deps.tgz -C /opt
USER nobody
CMD ["true"]
