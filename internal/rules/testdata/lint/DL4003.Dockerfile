FROM alpine:3.20 AS base
# want "MultipleInstructionsDisallowed: Multiple CMD instructions"
CMD ["one"]
# want "DL4003: another CMD in this stage"
CMD ["two"]

FROM base
# want "MultipleInstructionsDisallowed: Multiple CMD instructions"
CMD ["three"]
USER nobody
# want "DL4003: another CMD in this stage"
CMD ["four"]
