FROM alpine:3.20
# want "MultipleInstructionsDisallowed: Multiple ENTRYPOINT instructions"
ENTRYPOINT ["/docker-entrypoint.sh"]
# want "DL4004: another ENTRYPOINT in this stage"
ENTRYPOINT ["/app"]
USER nobody
