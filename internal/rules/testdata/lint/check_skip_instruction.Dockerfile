FROM alpine:3.20 AS base
# check=skip=JSONArgsRecommended the first check comment above an instruction counts
CMD echo hi
# check=skip=jsonargsrecommended
# want "DL3025" "JSONArgsRecommended"
ENTRYPOINT echo hi
FROM base
# check=skip=ConsistentInstructionCasing
# want "ConsistentInstructionCasing"
run echo checked with the configuration of the file only
USER nobody
