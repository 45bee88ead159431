FROM debian:bookworm-slim AS base
SHELL ["/bin/bash", "-euo", "pipefail", "-c"]
RUN wget -qO- https://example.com/install.sh | sh
FROM base
# SHELL is inherited from the base stage.
RUN echo a | tee /tmp/a
SHELL ["/bin/sh", "-c"]
RUN set -o pipefail && echo b | tee /tmp/b
WORKDIR /
RUN <<EOF
set -eo pipefail
echo c | tee /tmp/c
EOF
USER nobody
CMD ["true"]
