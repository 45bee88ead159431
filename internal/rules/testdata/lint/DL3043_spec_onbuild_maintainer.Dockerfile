# spec: DL3043 ONBUILD MAINTAINER
FROM debian:bookworm-slim
# want "DL3043"
ONBUILD MAINTAINER "Jane Doe"
USER nobody
CMD ["true"]
