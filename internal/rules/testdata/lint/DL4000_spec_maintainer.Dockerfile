# spec: DL4000 MAINTAINER in a stage (BuildKit's MaintainerDeprecated is the same finding)
FROM debian:bookworm-slim
# want "DL4000"
MAINTAINER ops@example.com
USER nobody
CMD ["true"]
