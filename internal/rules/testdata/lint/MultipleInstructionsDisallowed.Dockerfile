FROM debian:bookworm-slim AS tmpl
ONBUILD CMD ["from-template"]

# The inherited ONBUILD CMD runs first and is replaced by the stage's
# own CMD: BuildKit reports it at the FROM.
# want "MultipleInstructionsDisallowed: Multiple CMD instructions"
FROM tmpl
USER nobody
CMD ["own"]
