# spec: DL4006 a pipe without pipefail: default shell, a later SHELL without it, a new stage resets
FROM debian:bookworm-slim AS a
# want "DL4006"
RUN wget -nv -O - https://example.org/data | wc -l > /tmp/count
FROM debian:bookworm-slim AS b
SHELL ["/bin/sh", "-o", "pipefail", "-c"]
# deviation: hadolint wants bash, zsh or ash for -o pipefail; strata accepts any POSIX shell:
# where sh has the option (busybox, bash) it is in force, where it has not (older dash) every
# RUN fails at once (strata explain DL4006)
RUN wget -nv -O - https://example.org/data | wc -l file > /tmp/count
FROM debian:bookworm-slim AS c
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN wget -nv -O - https://example.org/data | wc -l file > /tmp/count
SHELL ["/bin/sh", "-c"]
# want "DL4006"
RUN wget -nv -O - https://example.org/data | wc -l file > /tmp/count
FROM debian:bookworm-slim
# want "DL4006"
RUN wget -nv -O - https://example.org/data | wc -l file > /tmp/count
USER nobody
CMD ["true"]
