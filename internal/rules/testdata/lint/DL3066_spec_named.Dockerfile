# spec: DL3066 non-numeric USER, with or without a group
# enable: DL3066
FROM debian:bookworm-slim
# deviation: hadolint reports each non-numeric USER; strata the last one, the user the image
# runs as (strata explain DL3066)
USER widget:gadget
# want "DL3066"
USER widget
CMD ["true"]
