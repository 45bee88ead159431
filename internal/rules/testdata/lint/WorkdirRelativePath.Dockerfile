FROM debian:bookworm-slim AS build
ARG SRC_DIR=src
# The value counts, not the text: $SRC_DIR is "src" (hadolint accepts
# any variable).
# want `WorkdirRelativePath: Relative workdir "src"`
WORKDIR $SRC_DIR
# Only the first WORKDIR of a stage chain is judged by BuildKit.
# want "DL3000: WORKDIR out is relative"
WORKDIR out

FROM debian:bookworm-slim AS tmpl
# want "DL3000: ONBUILD WORKDIR app is relative"
ONBUILD WORKDIR app

# An inherited ONBUILD WORKDIR is reported at the FROM that runs it.
# want `WorkdirRelativePath: Relative workdir "app"`
FROM tmpl
USER nobody
CMD ["true"]
