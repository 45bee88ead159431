# spec: DL4006 no pipe; bash -eo pipefail, bash -e -o pipefail, bash -o errexit -o pipefail, zsh -o pipefail
FROM debian:bookworm-slim AS a
RUN wget -nv -O - https://example.org/data && wc -l file > /tmp/count
FROM debian:bookworm-slim AS b
SHELL ["/bin/bash", "-eo", "pipefail", "-c"]
RUN wget -nv -O - https://example.org/data | wc -l file > /tmp/count
FROM debian:bookworm-slim AS c
SHELL ["/bin/bash", "-e", "-o", "pipefail", "-c"]
RUN wget -nv -O - https://example.org/data | wc -l file > /tmp/count
FROM debian:bookworm-slim AS d
SHELL ["/bin/bash", "-o", "errexit", "-o", "pipefail", "-c"]
RUN wget -nv -O - https://example.org/data | wc -l file > /tmp/count
FROM debian:bookworm-slim
SHELL ["/bin/zsh", "-o", "pipefail", "-c"]
RUN wget -nv -O - https://example.org/data | wc -l file > /tmp/count
USER nobody
CMD ["true"]
