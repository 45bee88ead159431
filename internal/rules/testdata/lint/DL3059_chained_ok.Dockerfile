FROM debian:bookworm-slim
# Chained commands mark the split as deliberate.
# want "DL3008: Pin versions in apt-get install" "DL3009: Delete the apt-get lists after installing something" "DL3015: Avoid additional packages by specifying --no-install-recommends" "SD403: curl is installed in the final image but nothing uses it"
RUN apt-get update && apt-get install -y curl
RUN echo done
WORKDIR /a
RUN echo one; echo two
RUN echo three
WORKDIR /b
# want `DL4006: Set the SHELL option -o pipefail before RUN with a pipe in it\. If you are using /bin/sh`
RUN echo four | tee /four
RUN echo five
WORKDIR /c
# Different flags cannot be merged.
RUN --network=none echo six
RUN echo seven
WORKDIR /d
RUN <<EOF
set -e
echo eight
EOF
RUN echo nine
USER nobody
CMD ["true"]
