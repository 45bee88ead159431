# spec: DL3057 a stage without HEALTHCHECK (reported on its FROM)
# enable: DL3057
# want "DL3057"
FROM debian:bookworm-slim
USER nobody
CMD ["true"]
