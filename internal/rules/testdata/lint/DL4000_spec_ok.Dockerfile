# spec: DL4000 no MAINTAINER
FROM debian:bookworm-slim
USER nobody
CMD ["true"]
