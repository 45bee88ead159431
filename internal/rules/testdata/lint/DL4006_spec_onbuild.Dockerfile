# source: DL4006 has no ONBUILD variant in hadolint: a pipe in ONBUILD RUN is not reported
# deviation: strata reports it: the trigger runs in the downstream build, where a failed
# download piped into another command is masked just the same (strata explain DL4006)
FROM debian:bookworm-slim
# want "DL4006"
ONBUILD RUN wget -nv -O - https://example.org/data | wc -l > /tmp/count
USER nobody
CMD ["true"]
