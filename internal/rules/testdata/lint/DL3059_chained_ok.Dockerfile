FROM debian:bookworm-slim
# Chained commands mark the split as deliberate.
# want "DL3008" "DL3009" "DL3015" "SD403"
RUN apt-get update && apt-get install -y curl
RUN echo done
WORKDIR /a
RUN echo one; echo two
RUN echo three
WORKDIR /b
# want "DL4006"
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
