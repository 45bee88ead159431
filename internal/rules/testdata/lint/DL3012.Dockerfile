FROM nginx:1.27 AS web
# BuildKit reports the HEALTHCHECK that is replaced, hadolint the one
# that replaces it.
# want "MultipleInstructionsDisallowed: Multiple HEALTHCHECK instructions"
HEALTHCHECK CMD ["true"]
# want "DL3012: another HEALTHCHECK in this stage" "MultipleInstructionsDisallowed"
HEALTHCHECK --interval=5s CMD ["curl", "-f", "http://localhost/"]
# want "DL3012: another HEALTHCHECK in this stage"
HEALTHCHECK NONE
USER nobody
CMD ["nginx"]
