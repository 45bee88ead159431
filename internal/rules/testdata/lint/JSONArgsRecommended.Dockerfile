FROM debian:bookworm-slim AS template
ONBUILD CMD serve --from-template

FROM debian:bookworm-slim AS plain
USER nobody
# Both tools report a plain shell-form CMD: one finding.
# want "DL3025: CMD in shell form" "JSONArgsRecommended"
CMD serve --port 8080

FROM debian:bookworm-slim AS shell
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
USER nobody
# After a SHELL the shell form is deliberate: BuildKit is silent,
# hadolint is not.
# want "DL3025: CMD in shell form"
CMD serve --port 8080

# An inherited ONBUILD CMD is reported at the FROM of the stage that
# runs it (BuildKit's semantics; hadolint's DL3025 does not look into
# ONBUILD). BuildKit runs the triggers of stages the final stage needs.
# want "JSONArgsRecommended: JSON arguments recommended for CMD"
FROM template AS app
USER nobody
