# source: hadolint only looks at SHELL: "set -o pipefail" inside the RUN does not satisfy DL4006
# deviation: strata accepts it, as hadolint's own advice for this rule does: the option is
# in force before the pipe (strata explain DL4006)
FROM debian:bookworm-slim
SHELL ["/bin/bash", "-c"]
RUN set -o pipefail && wget -nv -O - https://example.org/data | wc -l > /tmp/count
USER nobody
CMD ["true"]
