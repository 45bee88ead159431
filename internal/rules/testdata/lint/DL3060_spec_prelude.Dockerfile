# spec: DL3060 spec snippet without FROM (no FROM at all: the RUN counts as the last stage)
# target: DL3060
# want "DL3060" "DL3061"
RUN yarn install foo
