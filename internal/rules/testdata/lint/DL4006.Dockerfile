FROM debian:bookworm-slim
# want `DL4006: Set the SHELL option -o pipefail before RUN with a pipe in it\. If you are using /bin/sh`
RUN wget -qO- https://example.com/install.sh | sh
WORKDIR /
# want `DL4006: Set the SHELL option -o pipefail before RUN with a pipe in it\. If you are using /bin/sh`
RUN <<EOF
set -e
echo hi | tee /tmp/hi
EOF
# pipefail set after the pipe is too late.
# want `DL4006: Set the SHELL option -o pipefail before RUN with a pipe in it\. If you are using /bin/sh`
RUN echo a | tee /tmp/a && set -o pipefail
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN echo b | tee /tmp/b
# Each stage starts with the default shell again.
FROM debian:bookworm-slim
# want `DL4006: Set the SHELL option -o pipefail before RUN with a pipe in it\. If you are using /bin/sh`
RUN echo c | tee /tmp/c
# want `DL4006: ONBUILD Set the SHELL option -o pipefail before RUN with a pipe in it\. If you are using`
ONBUILD RUN echo d | tee /tmp/d
USER nobody
CMD ["true"]
