FROM debian:bookworm-slim
# want "DL4006"
RUN wget -qO- https://example.com/install.sh | sh
WORKDIR /
# want "DL4006"
RUN <<EOF
set -e
echo hi | tee /tmp/hi
EOF
# pipefail set after the pipe is too late.
# want "DL4006"
RUN echo a | tee /tmp/a && set -o pipefail
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN echo b | tee /tmp/b
# Each stage starts with the default shell again.
FROM debian:bookworm-slim
# want "DL4006"
RUN echo c | tee /tmp/c
# want "DL4006"
ONBUILD RUN echo d | tee /tmp/d
USER nobody
CMD ["true"]
